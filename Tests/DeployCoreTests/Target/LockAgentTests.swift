import Foundation
import Synchronization
import MigrationCore
import Testing
@testable import DeployCore

@Suite("LockAgent: the target's lock holder and journal writer")
struct LockAgentTests {
    let holder = DeployLock.Holder(identity: Identity(user: "dev", host: "laptop", pid: 4242, command: "slipway deploy prod"),
                                   deploy: "D1", since: 1)

    /// Runs an agent on a pipe: `talk` writes requests to it; returns its replies and exit status.
    func converse(_ folder: String, force: Bool = false, _ talk: (Int32) -> Void) -> (replies: [AgentReply], status: Int32) {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let replies = Mutex([String]())
        let status = Mutex(Int32(-1))
        let agent = LockAgent(folder: folder, holder: holder, force: force)
        let input = fds[0]
        let worker = Worker {
            let s = agent.serve(input: input) { line in replies.withLock { $0.append(line) } }
            status.withLock { $0 = s }
        }
        talk(fds[1])
        close(fds[1])
        worker.join()
        close(fds[0])
        return (replies.withLock { $0 }.compactMap { AgentCoding.decode(AgentReply.self, $0) }, status.withLock { $0 })
    }

    func send(_ fd: Int32, _ request: AgentRequest) {
        let bytes = Array((AgentCoding.encode(request) + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    @Test("takes the lock, appends what it is sent, reads the journal back, and removes the lock on release")
    func conversation() throws {
        let folder = TempFolder()
        let dir = folder.path + "/.slipway"
        let (replies, status) = converse(dir) { fd in
            send(fd, AgentRequest(op: .append, entry: JournalEntry(type: .start, id: "D1", at: 1), sync: true))
            send(fd, AgentRequest(op: .journal))
            send(fd, AgentRequest(op: .append, entry: JournalEntry(type: .finish, id: "D1", at: 2), sync: true))
            send(fd, AgentRequest(op: .release))
        }
        #expect(status == 0)
        #expect(replies.map(\.ok) == [true, true, true, true, true])
        #expect(replies[2].entries?.map(\.id) == ["D1"])
        #expect(DeployLock.status(folder: dir) == nil, "released: no lock file left")
        #expect(Journal(folder: dir).entries().map(\.type) == [.start, .finish])
    }

    @Test("its deploy gone without a release: the deploy is journaled interrupted and the lock is left stale")
    func cutOff() throws {
        let folder = TempFolder()
        let dir = folder.path + "/.slipway"
        let (_, status) = converse(dir) { fd in
            send(fd, AgentRequest(op: .append, entry: JournalEntry(type: .start, id: "D1", at: 1), sync: true))
        }
        #expect(status == 1)
        let record = try #require(Journal(folder: dir).deploys().first)
        #expect(record.result == "interrupted")
        #expect(record.finish?.message?.contains("cut off") == true)
        let lock = try #require(DeployLock.status(folder: dir))
        #expect(lock.stale)
        #expect(lock.holder == holder)
    }

    @Test("a live holder refuses a second agent, which says who holds it; a stale lock needs force")
    func refusals() throws {
        let folder = TempFolder()
        let dir = folder.path + "/.slipway"
        let live = try DeployLock.acquire(folder: dir, holder: holder)
        let (held, status) = converse(dir) { _ in }
        #expect(status == 1)
        #expect(held.first?.error == .held)
        #expect(held.first?.holder?.deploy == "D1")
        live.abandon()
        #expect(converse(dir) { _ in }.replies.first?.error == .stale)
        let (forced, _) = converse(dir, force: true) { fd in send(fd, AgentRequest(op: .release)) }
        #expect(forced.map(\.ok) == [true, true])
    }

    @Test("a line that is not a request gets an error reply, and the agent goes on")
    func badRequest() {
        let folder = TempFolder()
        let (replies, status) = converse(folder.path + "/.slipway") { fd in
            _ = Array("nonsense\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            send(fd, AgentRequest(op: .release))
        }
        #expect(replies.map(\.ok) == [true, false, true])
        #expect(replies[1].error == .request)
        #expect(status == 0)
    }
}
