#if canImport(Glibc)
import Glibc
#endif

/// The target's side of a deploy (`slipway agent lock`): checks the target's folder,
/// takes the deploy lock in `<path>/.slipway`, then answers the deploy until it says
/// `release`: journal lines to append, the journal to read, preflight's checks and the
/// code's revision, each run here — one round trip each, not a command (and an SSH
/// session) of its own.
///
/// It is a process on the target whose stdin is the deploy's: when the deploy dies
/// (killed, or its SSH connection cut), stdin closes, and the agent journals the
/// deploy it was running as interrupted and ends *without* removing the lock file,
/// whose `flock` dies with it. So a lock holder never outlives its deploy, and the
/// next deploy finds a stale lock (`--force-unlock`), never a live-looking one.
public struct LockAgent: Sendable {
    /// The target's folder, made the working directory; nil: stay where it is.
    public var path: String?
    /// The lock's folder, relative to `path`.
    public var folder: String
    public var holder: DeployLock.Holder
    public var force: Bool

    public init(path: String? = nil, folder: String, holder: DeployLock.Holder, force: Bool) {
        self.path = path
        self.folder = folder
        self.holder = holder
        self.force = force
    }

    /// Serves requests from `input` (a descriptor, stdin) with replies through `reply`.
    /// Returns the exit status: 0 after a release, 1 otherwise.
    public func serve(input: Int32 = 0, reply: (String) -> Void) -> Int32 {
        if let path {
            let check = Preflight.path(path)
            guard check.ok, chdir(path) == 0 else {
                reply(AgentCoding.encode(AgentReply(ok: false, error: .path, message: check.detail)))
                return 1
            }
        }
        let lock: DeployLock
        do {
            lock = try DeployLock.acquire(folder: folder, holder: holder, force: force)
        } catch {
            var r = AgentReply(ok: false, message: error.description)
            switch error {
            case .held(_, let h): r.error = .held; r.holder = h
            case .stale(_, let h): r.error = .stale; r.holder = h
            case .failed: r.error = .failed
            }
            reply(AgentCoding.encode(r))
            return 1
        }
        reply(AgentCoding.encode(AgentReply(ok: true)))
        let journal = Journal(folder: folder)
        let inbox = AgentInbox(fd: input)
        var open: JournalEntry?  // the start line of a deploy not finished yet
        while let line = inbox.next() {
            guard let request = AgentCoding.decode(AgentRequest.self, line) else {
                reply(AgentCoding.encode(AgentReply(ok: false, error: .request, message: "not a request: \(line.prefix(200))")))
                continue
            }
            switch request.op {
            case .append:
                guard let entry = request.entry else {
                    reply(AgentCoding.encode(AgentReply(ok: false, error: .request, message: "append without an entry")))
                    continue
                }
                do {
                    try journal.append(entry, sync: request.sync ?? false)
                    if entry.type == .start { open = entry }
                    if entry.type == .finish { open = nil }
                    reply(AgentCoding.encode(AgentReply(ok: true)))
                } catch {
                    reply(AgentCoding.encode(AgentReply(ok: false, error: .journal, message: error.description)))
                }
            case .journal:
                var r = AgentReply(ok: true)
                r.entries = journal.entries()
                reply(AgentCoding.encode(r))
            case .preflight:
                guard var needs = request.needs else {
                    reply(AgentCoding.encode(AgentReply(ok: false, error: .request, message: "preflight without needs")))
                    continue
                }
                needs.path = "."
                var r = AgentReply(ok: true)
                r.checks = Preflight(needs: needs, executor: LocalExecutor()).rest()
                reply(AgentCoding.encode(r))
            case .revision:
                var r = AgentReply(ok: true)
                r.revision = Deployment.revision(of: ".", executor: LocalExecutor())
                reply(AgentCoding.encode(r))
            case .run:
                guard let wire = request.command else {
                    reply(AgentCoding.encode(AgentReply(ok: false, error: .request, message: "run without a command")))
                    continue
                }
                var command = wire.command
                if command.workingDirectory == path { command.workingDirectory = nil }  // where the agent already is
                let result = inbox.run(command) { line in
                    var r = AgentReply(ok: true)
                    r.out = line
                    reply(AgentCoding.encode(r))
                }
                var r = AgentReply(ok: true)
                r.ending = ExecAgent.Ending(result.termination)
                reply(AgentCoding.encode(r))
            case .cancel:
                continue  // the inbox stops the running step; nothing runs now
            case .release:
                lock.release()
                reply(AgentCoding.encode(AgentReply(ok: true)))
                return 0
            }
        }
        // The deploy is gone without a word: say so in the journal, keep the lock file (now stale).
        if let start = open {
            var finish = JournalEntry(type: .finish, id: start.id, at: WallClock.milliseconds())
            finish.result = DeployOutcome.Result.interrupted.rawValue
            finish.message = "the deploy was cut off (its process or connection died); slipway's agent on the target ended it"
            try? journal.append(finish, sync: true)
        }
        lock.abandon()
        return 1
    }

    /// `slipway agent state`: who holds the lock, and the journal (for `history`; takes no lock).
    public static func state(folder: String) -> AgentReply {
        var r = AgentReply(ok: true)
        let status = DeployLock.status(folder: folder)
        r.locked = status != nil
        r.stale = status?.stale
        r.holder = status?.holder
        r.entries = Journal(folder: folder).entries()
        return r
    }
}
