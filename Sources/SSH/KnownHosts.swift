import CLibSSH2
import Foundation

/// OpenSSH known_hosts files, checked with libssh2's knownhost API
/// (https://libssh2.org/libssh2_knownhost_readline.html, https://libssh2.org/libssh2_knownhost_checkp.html),
/// which understands plain names, comma lists and hashed `|1|salt|hash` names (Debian's HashKnownHosts).
///
/// Two things are done here rather than by libssh2:
/// - Each line is read on its own, into a one-line collection. libssh2_knownhost_readfile stops at
///   the first line it cannot parse (a key type it does not know, `@cert-authority`), and has no line
///   numbers; a changed key is reported as `file:line`.
/// - The name looked up is OpenSSH's: `host` for port 22, `[host]:port` otherwise, passed with port -1.
///   Given a port, libssh2_knownhost_checkp also accepts a plain `host` entry for any port, which
///   OpenSSH does not: a key trusted for port 22 would vouch for every other port on that host.
struct KnownHosts {
    let files: [String]
    let endpoint: SSHEndpoint

    enum Verdict: Equatable {
        case known(file: String, line: Int)
        case unknown
    }

    /// The known_hosts name of `host:port`, as OpenSSH writes and hashes it.
    static func entryName(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    var entryName: String { Self.entryName(host: endpoint.host, port: endpoint.port) }

    /// The line that trusts `key` for this host.
    func line(for key: HostKey) -> String { "\(entryName) \(key.algorithm) \(key.base64)" }

    /// The ssh-keyscan command that prints `line(for:)` (plus comments on stderr).
    func keyscanCommand(for key: HostKey) -> String {
        let port = endpoint.port == 22 ? "" : "-p \(endpoint.port) "
        return "ssh-keyscan \(port)-t \(key.keyscanType) \(endpoint.host) >> \(files.first ?? "~/.ssh/known_hosts")"
    }

    /// Where `key` is trusted, or `.unknown`. Throws, as OpenSSH refuses, when a line marks the key
    /// `@revoked` (wherever else it is trusted), or when no line trusts it and a line for this host
    /// holds another key of the same type (a changed host key).
    func verify(_ key: HostKey, session: OpaquePointer) throws(SSHError) -> Verdict {
        var trusted: Verdict = .unknown
        var changed: (file: String, line: Int)?
        for file in files {
            for (index, text) in try lines(of: file).enumerated() {
                let revoked = text.hasPrefix("@revoked ")
                let entry = revoked ? String(text.dropFirst("@revoked ".count)) : text
                guard let result = Self.check(entry, name: entryName, key: key, session: session) else { continue }
                switch (revoked, result) {
                case (true, LIBSSH2_KNOWNHOST_CHECK_MATCH):
                    throw SSHError(.hostKeyRevoked(fingerprint: key.fingerprint, file: file, line: index + 1), endpoint: endpoint)
                case (false, LIBSSH2_KNOWNHOST_CHECK_MATCH) where trusted == .unknown:
                    trusted = .known(file: file, line: index + 1)
                case (false, LIBSSH2_KNOWNHOST_CHECK_MISMATCH) where changed == nil:
                    changed = (file, index + 1)
                default:
                    break
                }
            }
        }
        if trusted == .unknown, let changed {
            throw SSHError(
                .hostKeyChanged(fingerprint: key.fingerprint, keyType: key.label, file: changed.file, line: changed.line),
                endpoint: endpoint)
        }
        return trusted
    }

    /// The refusal for a key found nowhere, with the line, the keyscan command and --accept-new-host-key.
    func unknownError(_ key: HostKey) -> SSHError {
        SSHError(
            .unknownHostKey(
                fingerprint: key.fingerprint, keyType: key.label, line: line(for: key), files: files,
                keyscan: keyscanCommand(for: key)),
            endpoint: endpoint)
    }

    /// Appends `line(for: key)` to the first file, creating it (0600) and its folders (0700).
    func append(_ key: HostKey) throws(SSHError) {
        guard let file = files.first else {
            throw SSHError(.knownHostsUnwritable(file: "(none)", "no known_hosts file was given"), endpoint: endpoint)
        }
        let failed = { (why: String) in SSHError(.knownHostsUnwritable(file: file, why), endpoint: endpoint) }
        var folder = ""
        for part in file.split(separator: "/", omittingEmptySubsequences: false).dropLast() {
            folder += (folder.isEmpty && !file.hasPrefix("/") ? "" : "/") + part
            if folder != "/" && !folder.isEmpty && mkdir(folder, 0o700) != 0 && errno != EEXIST {
                throw failed("cannot create folder \(folder): \(String(cString: strerror(errno)))")
            }
        }
        let fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failed(String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        let endsOpen = fstat(fd, &status) == 0 && status.st_size > 0 && lastByte(of: file) != UInt8(ascii: "\n")
        let bytes = Array(((endsOpen ? "\n" : "") + line(for: key) + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw failed(String(cString: strerror(errno))) }
    }

    /// The file's lines without "\n" / "\r\n"; none for a file that does not exist.
    private func lines(of file: String) throws(SSHError) -> [String] {
        guard FileManager.default.fileExists(atPath: file) else { return [] }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw SSHError(.knownHostsUnreadable(file: file, "permission denied or not a file"), endpoint: endpoint)
        }
        // "\r\n" is one Character in Swift: both endings are separators.
        return String(decoding: data, as: UTF8.self)
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
    }

    private func lastByte(of file: String) -> UInt8? {
        guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end > 0 else { return nil }
        try? handle.seek(toOffset: end - 1)
        return (try? handle.read(upToCount: 1))?.first
    }

    /// LIBSSH2_KNOWNHOST_CHECK_* for `key` against one known_hosts line, or nil for a line
    /// libssh2 cannot parse (or a comment, which holds no entry).
    static func check(_ line: String, name: String, key: HostKey, session: OpaquePointer) -> Int32? {
        guard let hosts = libssh2_knownhost_init(session) else { return nil }
        defer { libssh2_knownhost_free(hosts) }
        let parsed = line.withCString { libssh2_knownhost_readline(hosts, $0, strlen($0), LIBSSH2_KNOWNHOST_FILE_OPENSSH) }
        guard parsed == 0 else { return nil }
        let typemask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key.knownHostType
        let result = key.blob.withUnsafeBufferPointer { blob in
            blob.withMemoryRebound(to: CChar.self) { chars in
                libssh2_knownhost_checkp(hosts, name, -1, chars.baseAddress, chars.count, typemask, nil)
            }
        }
        return result == LIBSSH2_KNOWNHOST_CHECK_FAILURE ? nil : result
    }
}
