import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("timeout and cancel")
struct CommandRunTests {
    @Test("past its timeout a command gets EOF on stdin, is closed after the grace, and run returns .timedOut")
    func timeout() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let (exit, lines) = try collect(session, "read x; echo \"stdin closed: $?\"; exec sleep 30", timeout: 0.5, grace: 0.5, holdStdin: true)
        #expect(exit == .timedOut)
        #expect(stdout(lines) == ["stdin closed: 1"])
        #expect(try collect(session, "echo after").lines.map(\.text) == ["after"])
    }

    @Test("a command that ignores stdin is closed after the grace: .timedOut")
    func timeoutIgnoringStdin() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        #expect(try collect(session, "exec sleep 30", timeout: 0.3, grace: 0.3).exit == .timedOut)
    }

    @Test("cancel() from another thread closes the command's stdin; it exits on its own and run returns promptly")
    func cancelWhileWaiting() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let (exit, lines) = try collect(session, "echo ready; read x; echo stopped-by-eof", holdStdin: true) { line in
            if line.text == "ready" { DispatchQueue.global().async { session.cancel() } }
        }
        #expect(exit == .exited(0) || exit == .cancelled)
        #expect(stdout(lines) == ["ready", "stopped-by-eof"])
        // Later runs are cancelled at once: nothing runs.
        #expect(try collect(session, "echo never").exit == .cancelled)
        #expect(try collect(session, "echo never").lines.isEmpty)
        #expect(failure { try session.open("cat") }?.reason == .cancelled)
    }

    @Test("cancel() stops the running command, not a channel opened beside it: that one still reads and writes")
    func cancelSparesOpenChannels() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let beside = try session.open("while read l; do echo got:$l; done")
        _ = try collect(session, "echo ready; read x", holdStdin: true) { line in
            if line.text == "ready" { DispatchQueue.global().async { session.cancel() } }
        }
        try beside.write(Array("after-cancel\n".utf8))
        #expect(try beside.readLine(timeout: 10) == "got:after-cancel")
        #expect(try beside.close() == .exited(0))
    }

    @Test("a cancelled command that ignores stdin is closed after the grace: .cancelled")
    func cancelIgnored() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let (exit, lines) = try collect(session, "echo ready; exec sleep 30", grace: 0.3) { line in
            if line.text == "ready" { DispatchQueue.global().async { session.cancel() } }
        }
        #expect(exit == .cancelled)
        #expect(stdout(lines) == ["ready"])
    }
}
