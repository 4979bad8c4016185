import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("connect")
struct TCPConnectionTests {
    @Test("a port nobody listens on: connection refused, naming host:port")
    func refused() throws {
        let port = try Loopback.freePort()
        let error = try #require(failure {
            try SSHSession.connect(SSHOptions(endpoint: SSHEndpoint(user: "root", host: "127.0.0.1", port: port)))
        })
        #expect(error.reason == .connectionRefused)
        #expect(error.description.contains("127.0.0.1:\(port)"))
        #expect(error.description.contains("connection refused"))
    }

    @Test("a listener that never speaks: the SSH handshake times out after connectTimeout")
    func handshakeTimeout() throws {
        let listener = try SilentListener()
        let error = try #require(failure {
            try SSHSession.connect(SSHOptions(endpoint: SSHEndpoint(user: "root", host: "127.0.0.1", port: listener.port), connectTimeout: 1))
        })
        #expect(error.reason == .timedOut(.handshake, seconds: 1))
        #expect(error.description.contains("SSH handshake with 127.0.0.1:\(listener.port) timed out after 1 s"))
    }

    @Test("a listener whose accept queue is full drops the SYN: the TCP connect times out after connectTimeout")
    func connectTimeout() throws {
        let listener = try SilentListener(backlog: 1)
        #expect(listener.fillBacklog())
        let error = try #require(failure {
            try SSHSession.connect(SSHOptions(endpoint: SSHEndpoint(user: "root", host: "127.0.0.1", port: listener.port), connectTimeout: 1))
        })
        #expect(error.reason == .timedOut(.tcpConnect, seconds: 1))
        #expect(error.description.contains("TCP connect with 127.0.0.1:\(listener.port) timed out after 1 s"))
    }

    @Test("an unknown host name cannot be resolved")
    func unresolvable() throws {
        let error = try #require(failure {
            try SSHSession.connect(SSHOptions(endpoint: SSHEndpoint(user: "root", host: "no-such-host.invalid")))
        })
        guard case .cannotResolve = error.reason else {
            Issue.record("expected cannotResolve, got \(error)")
            return
        }
        #expect(error.description.contains("root@no-such-host.invalid:22"))
    }

    @Test("IPv6: connect to ::1", .enabled(if: Loopback.hasIPv6Loopback))
    func ipv6() throws {
        let sshd = try Sshd.start(address: "::1")
        defer { sshd.stop() }
        #expect(sshd.knownHostsLine.hasPrefix("[::1]:\(sshd.port) "))
        let session = try connect(sshd)
        defer { session.close() }
        #expect(session.endpoint.description == "root@[::1]:\(sshd.port)")
        #expect(try collect(session, "echo six").lines.map(\.text) == ["six"])
    }
}
