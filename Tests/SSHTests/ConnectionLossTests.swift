import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("connection loss")
struct ConnectionLossTests {
    @Test("the server's per-connection processes killed mid-command: run throws connectionLost naming the command")
    func killedMidCommand() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        var killed = 0
        let command = "echo started; sleep 30"
        let error = try #require(failure {
            try collect(session, command) { line in
                if line.text == "started" { killed = sshd.killConnections() }
            }
        })
        #expect(killed > 0)
        #expect(error.isConnectionLost)
        #expect(error.command == command)
        #expect(error.description.contains("connection to \(sshd.endpointText) lost"))
        #expect(error.description.contains(command))
        // The session stays broken: the next call fails the same way at once.
        let next = try #require(failure { try session.run("true") { _ in } })
        #expect(next.isConnectionLost && next.command == "true")
    }

    @Test("a silent (SIGSTOPped) server with keepalive 0.5 s × 2: run throws connectionLost, no answer")
    func silentPeer() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd) {
            $0.keepaliveInterval = 0.5
            $0.keepaliveCountMax = 2
        }
        defer { session.close() }
        var frozen = 0
        let error = try #require(failure {
            try collect(session, "echo started; sleep 30") { line in
                if line.text == "started" { frozen = sshd.freezeConnections() }
            }
        })
        #expect(frozen > 0)
        #expect(error.isConnectionLost)
        #expect(error.description.contains("lost: no answer for"))
        #expect(error.command == "echo started; sleep 30")
    }

    @Test("a quiet command on a live server is not a lost connection: keepalives are answered")
    func quietCommand() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd) {
            $0.keepaliveInterval = 1
            $0.keepaliveCountMax = 1
        }
        defer { session.close() }
        #expect(try collect(session, "sleep 4; echo awake").lines.map(\.text) == ["awake"])
    }
}
