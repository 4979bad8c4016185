import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("SSHSession.run")
struct SSHSessionRunTests {
    @Test("stdout and stderr lines stream separately and the exit code comes back")
    func outputAndExitCode() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let (exit, lines) = try collect(session, "echo hi; echo oops >&2; exit 3")
        #expect(exit == .exited(3))
        #expect(stdout(lines) == ["hi"])
        #expect(stderr(lines) == ["oops"])
    }

    @Test("lots of output on both streams completes, every line in order")
    func lotsOfOutput() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let (exit, lines) = try collect(session, "seq 1 200000 >&2; seq 1 100000; echo end >&2")
        #expect(exit == .exited(0))
        let errors = stderr(lines)
        #expect(errors.count == 200_001)
        #expect(errors.first == "1" && errors[199_999] == "200000" && errors.last == "end")
        let out = stdout(lines)
        #expect(out.count == 100_000)
        #expect(out == (1...100_000).map(String.init))
    }

    @Test("a command killed by a signal ends .signaled with the signal's name")
    func killedBySignal() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        #expect(try collect(session, "kill -KILL $$").exit == .signaled("KILL"))
        #expect(try collect(session, "kill -TERM $$").exit == .signaled("TERM"))
    }

    @Test("input bytes reach the command's stdin, then EOF")
    func inputReachesStdin() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let (exit, lines) = try collect(session, "cat", input: Array("hello\nworld\n".utf8))
        #expect(exit == .exited(0))
        #expect(stdout(lines) == ["hello", "world"])
        // Without input, stdin is at EOF at once: cat ends instead of waiting.
        #expect(try collect(session, "cat; echo done").lines.map(\.text) == ["done"])
    }

    @Test("megabytes of input through cat come back whole while output streams at the same time")
    func bigInputBothWays() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let text = (1...300_000).map { "line \($0)\n" }.joined()
        let (exit, lines) = try collect(session, "cat", input: Array(text.utf8))
        #expect(exit == .exited(0))
        #expect(lines.count == 300_000)
        #expect(lines.last?.text == "line 300000")
        #expect(try collect(session, "wc -c", input: Array(text.utf8)).lines.map(\.text) == ["\(text.utf8.count)"])
    }

    @Test("several commands share one connection")
    func oneConnection() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        for n in 1...5 {
            #expect(try collect(session, "echo \(n)").lines.map(\.text) == ["\(n)"])
        }
        #expect(sshd.connections == 1)
    }

    @Test("CRLF endings lose their \\r, and a last line without newline still arrives")
    func lineEndings() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let (_, lines) = try collect(session, #"printf 'a\r\nb\n\nc'; printf 'x' >&2"#)
        #expect(stdout(lines) == ["a", "b", "", "c"])
        #expect(stderr(lines) == ["x"])
    }

    @Test("sessions to different hosts run on different threads at once")
    func parallelSessions() throws {
        let servers = try (0..<3).map { _ in try Sshd.start() }
        defer { for sshd in servers { sshd.stop() } }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: servers.count) { index in
            do {
                let session = try connect(servers[index])
                defer { session.close() }
                defer { session.close() }
                var seen: [String] = []
                for n in 1...10 { seen += try collect(session, "echo \(index)-\(n)").lines.map(\.text) }
                results.set(index, seen)
            } catch {
                results.set(index, ["\(error)"])
            }
        }
        for index in servers.indices {
            #expect(results.get(index) == (1...10).map { "\(index)-\($0)" })
            #expect(servers[index].connections == 1)
        }
    }

    @Test("close is idempotent and a closed session refuses to run")
    func closedSession() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        session.close()
        session.close()
        let error = try #require(failure { try session.run("true") { _ in } })
        #expect(error.reason == .sessionClosed)
        #expect(error.description.contains(sshd.endpointText))
    }
}

/// Per-thread results of `concurrentPerform`.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: [String]] = [:]

    func set(_ index: Int, _ value: [String]) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func get(_ index: Int) -> [String]? {
        lock.lock()
        defer { lock.unlock() }
        return values[index]
    }
}
