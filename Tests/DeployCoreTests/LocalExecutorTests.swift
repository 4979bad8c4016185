import Foundation
import Testing
@testable import DeployCore

@Suite("LocalExecutor: real processes through posix_spawn")
struct LocalExecutorTests {
    @Test("output lines arrive in order, stdout and stderr merged, with the exit status")
    func output() {
        let dir = TempFolder()
        let (result, lines) = LocalExecutor().capture(Command(
            ["/bin/sh", "-c", "echo one; echo two >&2; printf three; exit 4"], env: [.init("X", .secret("y"))], workingDirectory: dir.path))
        #expect(result.termination == .exited(4))
        #expect(lines == ["one", "two", "three"])
    }

    @Test("env and working directory are applied")
    func environment() {
        let dir = TempFolder()
        let (_, lines) = LocalExecutor().capture(Command(["/bin/sh", "-c", "pwd; echo $GREETING"],
                                                          env: [.init("GREETING", .text("hi there"))], workingDirectory: dir.path))
        #expect(lines.last == "hi there")
        #expect(lines.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } == URL(fileURLWithPath: dir.path).resolvingSymlinksInPath().path)
    }

    @Test("a missing program is reported, not crashed on")
    func missing() {
        let (result, _) = LocalExecutor().capture(Command(["no-such-tool-xyz"]))
        guard case .notStarted(let why) = result.termination else { Issue.record("\(result)"); return }
        #expect(why.contains("not found"))
    }

    @Test("a timeout kills the whole process group, even a step that ignores SIGTERM")
    func timeout() throws {
        let dir = TempFolder()
        // The shell and its child both ignore SIGTERM; the child's pid goes to a file first.
        let script = "trap '' TERM; sleep 600 & echo $! > child.pid; echo started; wait"
        let (result, lines) = LocalExecutor(killGrace: 0.2).capture(
            Command(["/bin/sh", "-c", script], workingDirectory: dir.path, timeout: 0.5))
        #expect(result.termination == .timedOut(seconds: 0.5))
        #expect(lines == ["started"])
        let child = try #require(Int32(dir.read("child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        // SIGKILL to the group is sent before run() returns; the orphan then exits and init reaps it.
        #expect(becomesDead(child))
    }

    @Test("a step that leaves a daemon holding its output open still finishes")
    func daemon() throws {
        let dir = TempFolder()
        let (result, lines) = LocalExecutor().capture(Command(
            ["/bin/sh", "-c", "sleep 600 & echo $! > daemon.pid; echo left it running"], workingDirectory: dir.path))
        #expect(result.succeeded)
        #expect(lines == ["left it running"])
        if let pid = Int32(dir.read("daemon.pid").trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
    }
}
