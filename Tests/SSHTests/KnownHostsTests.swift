import CLibSSH2
import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("KnownHosts")
struct KnownHostsTests {
    @Test("an unknown host is refused with its fingerprint, the exact line, the keyscan command and --accept-new-host-key; nothing runs")
    func unknownHostRefused() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "kh")
        let file = folder + "/known_hosts"
        let error = try #require(failure { try connect(sshd) { $0.knownHostsFiles = [file] } })
        guard case .unknownHostKey(let fingerprint, let keyType, let line, _, let keyscan) = error.reason else {
            Issue.record("expected unknownHostKey, got \(error)")
            return
        }
        #expect(fingerprint == (try SSHKeys.fingerprint(sshd.hostPublicKeyFile)))
        #expect(keyType == "ED25519")
        #expect(line == sshd.knownHostsLine)
        #expect(keyscan == "ssh-keyscan -p \(sshd.port) -t ed25519 127.0.0.1 >> \(file)")
        for part in [fingerprint, line, keyscan, "--accept-new-host-key", sshd.endpointText] {
            #expect(error.description.contains(part))
        }
        // The printed command prints the printed line.
        let scan = try Spawned.run(["ssh-keyscan", "-p", "\(sshd.port)", "-t", "ed25519", "127.0.0.1"], environment: Spawned.environment([:]))
        #expect(scan.output.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init) == [line])
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(!(try String(contentsOfFile: sshd.log, encoding: .utf8)).contains("Accepted publickey"))
    }

    @Test("accept-new appends the line to knownHostsFiles[0], creating its folder 0700; the next connect needs no accept-new")
    func acceptNew() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "kh") + "/new/ssh"
        let file = folder + "/known_hosts"
        let session = try connect(sshd) {
            $0.knownHostsFiles = [file, sshd.directory + "/missing"]
            $0.acceptNewHostKey = true
        }
        defer { session.close() }
        #expect(try collect(session, "echo in").lines.map(\.text) == ["in"])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == sshd.knownHostsLine + "\n")
        let mode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let again = try connect(sshd) { $0.knownHostsFiles = [file] }
        defer { again.close() }
        #expect(try collect(again, "echo again").lines.map(\.text) == ["again"])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == sshd.knownHostsLine + "\n")
    }

    @Test("a changed key on line 2 is refused with file:2 and the SHA256 fingerprint, and accept-new does not override it")
    func changedKey() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "kh")
        let other = try SSHKeys.generate(folder + "/other_host_key")
        let file = folder + "/known_hosts"
        let text = "[127.0.0.1]:1 \(sshd.hostKey)\n[127.0.0.1]:\(sshd.port) \(other)\n"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        for acceptNew in [false, true] {
            let error = try #require(failure { try connect(sshd) { $0.knownHostsFiles = [file]; $0.acceptNewHostKey = acceptNew } })
            let fingerprint = try SSHKeys.fingerprint(sshd.hostPublicKeyFile)
            #expect(error.reason == .hostKeyChanged(fingerprint: fingerprint, keyType: "ED25519", file: file, line: 2))
            #expect(error.description.contains("\(file):2"))
            #expect(error.description.contains(fingerprint))
            #expect(error.description.contains(sshd.endpointText))
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
    }

    @Test("a hashed known_hosts (ssh-keygen -H) is accepted")
    func hashedEntries() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "kh")
        let file = folder + "/known_hosts"
        try FileManager.default.copyItem(atPath: sshd.knownHosts, toPath: file)
        let hashed = try Spawned.run(["ssh-keygen", "-H", "-f", file], environment: Spawned.environment([:]))
        #expect(hashed.status == 0)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("|1|") && !text.contains("127.0.0.1"))
        let session = try connect(sshd) { $0.knownHostsFiles = [file] }
        defer { session.close() }
        #expect(try collect(session, "echo hashed").exit == .exited(0))
    }

    @Test("a plain host entry is for port 22 only, as in OpenSSH: it does not vouch for another port")
    func plainEntryIsPort22() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "kh")
        let file = folder + "/known_hosts"
        try "127.0.0.1 \(sshd.hostKey)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(failure { try connect(sshd) { $0.knownHostsFiles = [file] } })
        guard case .unknownHostKey = error.reason else {
            Issue.record("expected unknownHostKey, got \(error)")
            return
        }
        #expect(KnownHosts.entryName(host: "127.0.0.1", port: 22) == "127.0.0.1")
        #expect(KnownHosts.entryName(host: "::1", port: 2222) == "[::1]:2222")
    }

    // Binding 127.0.0.9:22 fails where an sshd listens on *:22; that machine cannot run this test.
    @Test(
        "a server on port 22 is checked against a plain host entry, and its line to add has no brackets",
        .enabled(if: Loopback.probe("127.0.0.9", port: 22) == nil))
    func port22() throws {
        let sshd = try Sshd.start(address: "127.0.0.9", port: 22)
        defer { sshd.stop() }
        #expect(sshd.knownHostsLine.hasPrefix("127.0.0.9 ssh-ed25519 "))
        let session = try connect(sshd)
        defer { session.close() }
        #expect(try collect(session, "echo 22").exit == .exited(0))
        let error = try #require(failure { try connect(sshd) { $0.knownHostsFiles = [] } })
        guard case .unknownHostKey(_, _, let line, _, let keyscan) = error.reason else {
            Issue.record("expected unknownHostKey, got \(error)")
            return
        }
        #expect(line == sshd.knownHostsLine)
        #expect(keyscan == "ssh-keyscan -t ed25519 127.0.0.9 >> ~/.ssh/known_hosts")
    }

    @Test("files are checked in order, a missing one counts as empty, comments and unparsable lines are skipped")
    func severalFiles() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "kh")
        let noise = folder + "/noise"
        try "# comment\n\n@cert-authority *.example ssh-ed25519 AAAA\ngarbage line\n".write(toFile: noise, atomically: true, encoding: .utf8)
        let session = try connect(sshd) { $0.knownHostsFiles = [folder + "/missing", noise, sshd.knownHosts] }
        defer { session.close() }
        #expect(try collect(session, "true").exit == .exited(0))
    }

    @Test("a key marked @revoked is refused even when another line trusts it")
    func revoked() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "kh")
        let file = folder + "/known_hosts"
        try "\(sshd.knownHostsLine)\n@revoked \(sshd.knownHostsLine)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(failure { try connect(sshd) { $0.knownHostsFiles = [file] } })
        #expect(error.reason == .hostKeyRevoked(fingerprint: try SSHKeys.fingerprint(sshd.hostPublicKeyFile), file: file, line: 2))
    }

    @Test("one known_hosts line checked on its own: match, another key, another host")
    func checkOneLine() throws {
        #expect(LibSSH2.initialized == 0)
        let session = try #require(cssh2_session_init())
        defer { libssh2_session_free(session) }
        let folder = try tempFolder("kh")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let mine = try SSHKeys.generate(folder + "/a"), theirs = try SSHKeys.generate(folder + "/b")
        let blob = [UInt8](Data(base64Encoded: String(mine.split(separator: " ")[1]))!)
        let key = HostKey(blob: blob, type: LIBSSH2_HOSTKEY_TYPE_ED25519, sha256: [])
        #expect(KnownHosts.check("host.example \(mine)", name: "host.example", key: key, session: session) == LIBSSH2_KNOWNHOST_CHECK_MATCH)
        #expect(KnownHosts.check("host.example,other \(theirs)", name: "host.example", key: key, session: session) == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)
        #expect(KnownHosts.check("[host.example]:2222 \(mine)", name: "host.example", key: key, session: session) == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND)
        #expect(KnownHosts.check("# host.example \(mine)", name: "host.example", key: key, session: session) == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND)
    }
}
