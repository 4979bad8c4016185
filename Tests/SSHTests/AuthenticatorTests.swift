import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("Authenticator")
struct AuthenticatorTests {
    @Test("a key the server does not accept fails naming user, host:port, the offered methods and the key file")
    func wrongKey() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "auth")
        let stranger = folder + "/stranger"
        try SSHKeys.generate(stranger)
        let error = try #require(failure { try connect(sshd) { $0.keyFile = stranger } })
        #expect(error.reason == .authenticationFailed(offered: ["publickey"], tried: "key file \(stranger) (not accepted)"))
        #expect(error.description.contains("root@127.0.0.1:\(sshd.port)"))
        #expect(error.description.contains("offers publickey"))
        #expect(error.description.contains(stranger))
    }

    @Test("a passphrase-protected key works with its passphrase and fails clearly without or with a wrong one")
    func passphrase() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let folder = try scratch(sshd, "auth")
        let key = folder + "/locked"
        try SSHKeys.generate(key, passphrase: "secret")
        try sshd.authorize(publicKeyFile: key + ".pub")
        #expect(KeyFile.inspect(key) == .encrypted)
        #expect(KeyFile.inspect(sshd.userKey) == .plain)

        let session = try connect(sshd) { $0.keyFile = key; $0.passphrase = "secret" }
        defer { session.close() }
        #expect(try collect(session, "echo unlocked").lines.map(\.text) == ["unlocked"])

        let missing = try #require(failure { try connect(sshd) { $0.keyFile = key } })
        #expect(missing.reason == .keyFile(path: key, "it is encrypted and no passphrase was given"))
        #expect(missing.description.contains(sshd.endpointText))

        let wrong = try #require(failure { try connect(sshd) { $0.keyFile = key; $0.passphrase = "guess" } })
        guard case .keyFile(let path, let why) = wrong.reason else {
            Issue.record("expected keyFile, got \(wrong)")
            return
        }
        #expect(path == key)
        #expect(why.hasPrefix("wrong passphrase"))
    }

    @Test("a missing key file is named")
    func missingKeyFile() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let error = try #require(failure { try connect(sshd) { $0.keyFile = "/nonexistent/id_ed25519" } })
        #expect(error.reason == .keyFile(path: "/nonexistent/id_ed25519", "no such file"))
    }

    @Test("without a key file, ssh-agent's identities are tried (socket given explicitly)")
    func agent() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let agent = try SSHAgent()
        let folder = try scratch(sshd, "auth")
        let stranger = folder + "/stranger"
        try SSHKeys.generate(stranger)
        try agent.add(stranger)

        let refused = try #require(failure { try connect(sshd) { $0.keyFile = nil; $0.agentSocket = agent.socket } })
        #expect(refused.reason == .authenticationFailed(offered: ["publickey"], tried: "1 identity from ssh-agent at \(agent.socket) (none accepted)"))

        try agent.add(sshd.userKey)
        let session = try connect(sshd) { $0.keyFile = nil; $0.agentSocket = agent.socket }
        defer { session.close() }
        #expect(try collect(session, "echo agent").lines.map(\.text) == ["agent"])
    }

    @Test("an empty agent and a missing agent socket say so")
    func noAgent() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let agent = try SSHAgent()
        let empty = try #require(failure { try connect(sshd) { $0.keyFile = nil; $0.agentSocket = agent.socket } })
        #expect(empty.description.contains("holds no keys"))
        let none = try #require(failure { try connect(sshd) { $0.keyFile = nil; $0.agentSocket = "" } })
        #expect(none.description.contains("no SSH_AUTH_SOCK"))
        #expect(none.description.contains(sshd.endpointText))
    }
}
