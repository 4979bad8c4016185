import SSH

#if canImport(Glibc)
import Glibc
#endif

/// How to reach one host of a remote target, from its spec: the SSH options
/// (key, known_hosts, user, port) and slipway's own binary there.
public struct RemoteHost: Sendable {
    public var address: HostAddress
    public var target: Target
    /// deploy.yml's folder: a relative `key:` or `known_hosts:` starts there.
    public var specFolder: String
    public var acceptNewHostKey: Bool
    public var slipway: RemoteSlipway

    public init(address: HostAddress, target: Target, specFolder: String, acceptNewHostKey: Bool, slipway: RemoteSlipway) {
        self.address = address
        self.target = target
        self.specFolder = specFolder
        self.acceptNewHostKey = acceptNewHostKey
        self.slipway = slipway
    }

    /// The files a host key is checked against: the target's `known_hosts:` first (where
    /// `--accept-new-host-key` writes), then `~/.ssh/known_hosts`.
    public var knownHostsFiles: [String] {
        var files: [String] = []
        if let file = target.knownHosts?.value { files.append(local(file)) }
        files.append(Command.Word.localHome + "/.ssh/known_hosts")
        return files
    }

    public var options: SSHOptions {
        let user = address.user ?? Identity.loginName ?? "root"  // OpenSSH logs in as whoever runs it
        var options = SSHOptions(endpoint: SSHEndpoint(user: user, host: address.host, port: address.port))
        options.keyFile = target.key.map { local($0.value) }
        options.passphrase = target.keyPassphrase?.value
        options.knownHostsFiles = knownHostsFiles
        options.acceptNewHostKey = acceptNewHostKey
        if let seconds = target.connectTimeout { options.connectTimeout = seconds }
        return options
    }

    /// Connects, checks the host key and logs in: one connection for the whole deploy.
    public func connect() throws(SSHError) -> SSHExecutor {
        SSHExecutor(session: try SSHSession.connect(options))
    }

    /// Makes sure slipway's binary is on the host, uploading it (by SFTP, checked by its
    /// SHA-256 there) when missing. The binary is this very build, so the host runs the
    /// same migrate and agent code as this machine.
    public func install(on executor: SSHExecutor) -> Preflight.Check {
        let path = slipway.relativePath
        let word = slipway.word
        let present = Command([.text("test"), .text("-x"), word])
        executor.supervisor = nil  // until it is there, commands run bare
        if executor.capture(present).0.succeeded {
            executor.supervisor = word
            return Preflight.Check(name: "slipway", ok: true, detail: "~/\(path) on the host")
        }
        let folder = String(path[..<path.lastIndex(of: "/")!])
        let (made, why) = executor.capture(Command([.text("mkdir"), .text("-p"), .home(folder)]))
        guard made.succeeded else {
            return Preflight.Check(name: "slipway", ok: false, detail: "cannot create ~/\(folder) on the host: \(why.joined(separator: " "))")
        }
        // Under a name of its own, checked, then moved into place: two deploys uploading at
        // once never run a half-written binary.
        guard let sha256 = slipway.contentHash() else {
            return Preflight.Check(name: "slipway", ok: false, detail: "cannot read slipway's own binary \(slipway.localPath) to upload it")
        }
        let upload = path + ".upload-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try executor.session.upload(localPath: slipway.localPath, to: upload, mode: 0o755)
        } catch {
            return Preflight.Check(name: "slipway", ok: false, detail: "cannot upload slipway to the host: \(error)")
        }
        let (hashed, lines) = executor.capture(Command([.text("sha256sum"), .home(upload)]))
        guard hashed.succeeded, lines.first?.hasPrefix(sha256) == true else {
            _ = executor.capture(Command([.text("rm"), .text("-f"), .home(upload)]))
            return Preflight.Check(name: "slipway", ok: false, detail: "the uploaded slipway does not match its SHA-256 (\(lines.first ?? hashed.description)); removed it")
        }
        let (moved, why2) = executor.capture(Command([.text("mv"), .text("-f"), .home(upload), word]))
        guard moved.succeeded else {
            return Preflight.Check(name: "slipway", ok: false, detail: "cannot move the uploaded slipway into place: \(why2.joined(separator: " "))")
        }
        let (runs, version) = executor.capture(Command([word, .text("--version")]))
        guard runs.succeeded else {
            return Preflight.Check(name: "slipway", ok: false, detail: "the uploaded slipway does not run on the host (\(runs.description)): \(version.suffix(2).joined(separator: " "))")
        }
        executor.supervisor = word
        return Preflight.Check(name: "slipway", ok: true, detail: "uploaded to ~/\(path) (\(version.first ?? "?"))")
    }

    private func local(_ path: String) -> String {
        if path == "~" { return Command.Word.localHome }
        if path.hasPrefix("~/") { return Command.Word.localHome + path.dropFirst(1) }
        if path.hasPrefix("/") || specFolder == "." { return path }
        return specFolder + "/" + path
    }
}
