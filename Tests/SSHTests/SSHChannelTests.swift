import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("SSHChannel")
struct SSHChannelTests {
    @Test("a channel stays open while run() runs other commands, then answers lines and reports its exit")
    func keptOpen() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let channel = try session.open("while read l; do echo got:$l; done; echo bye >&2; exit 7")
        #expect(try collect(session, "echo other-1").lines.map(\.text) == ["other-1"])
        try channel.write(Array("a\n".utf8))
        #expect(try channel.readLine(timeout: 10) == "got:a")
        #expect(try collect(session, "echo other-2; echo err >&2").lines.map(\.text) == ["other-2", "err"])
        try channel.write(Array("b\nc\n".utf8))
        #expect(try channel.readLine(timeout: 10) == "got:b")
        #expect(try channel.readLine(timeout: 10) == "got:c")
        #expect(try channel.close() == .exited(7))
        #expect(channel.errorLines == ["bye"])
        #expect(sshd.connections == 1)
    }

    @Test("readLine returns nil at EOF and throws when no line comes in time")
    func eofAndTimeout() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let echo = try session.open("echo one")
        #expect(try echo.readLine(timeout: 10) == "one")
        #expect(try echo.readLine(timeout: 10) == nil)
        #expect(try echo.close() == .exited(0))

        let silent = try session.open("exec sleep 30")
        let error = try #require(failure { try silent.readLine(timeout: 0.2) })
        #expect(error.reason == .readTimedOut(seconds: 0.2))
        #expect(error.command == "exec sleep 30")
        // sleep ignores EOF: after the grace the channel is left behind.
        #expect(try silent.close(grace: 0.3) == .timedOut)
        #expect(try collect(session, "echo still-usable").lines.map(\.text) == ["still-usable"])
    }

    @Test("sendEOF lets a reading command finish")
    func sendEOF() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let channel = try session.open("wc -l")
        try channel.write(Array("1\n2\n3\n".utf8))
        try channel.sendEOF()
        #expect(try channel.readLine(timeout: 10) == "3")
        #expect(try channel.close() == .exited(0))
    }
}
