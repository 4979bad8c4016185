/// The deploy's side of `LockAgent`: the target's lock, held for as long as this
/// conversation with the agent lasts, and the target's journal, written through it.
public final class TargetLock: JournalSink {
    private let conversation: any Conversation
    /// Where the journal lives, for messages (`host:path/.slipway/journal.jsonl`).
    public let journalPath: String
    /// How long the agent may take to answer one request.
    static let replyTimeout = 120.0
    private var released = false

    private init(conversation: any Conversation, journalPath: String) {
        self.conversation = conversation
        self.journalPath = journalPath
    }

    public enum LockFailure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Held by a live deploy, or stale (`--force-unlock`), or not takeable: the agent's words.
        case refused(AgentReply.Failure, String)
        /// The agent could not be started or did not answer.
        case agent(String)
        /// slipway is not on the target (the shell could not find it: exit status 127).
        case missing

        public var description: String {
            switch self {
            case .refused(_, let message): message
            case .agent(let why): "slipway's agent on the target did not start: \(why)"
            case .missing: "slipway is not on the target"
            }
        }
    }

    /// Starts the agent through `executor` and waits for it to hold the lock.
    public static func acquire(plan: Plan, executor: any Executor, holder: DeployLock.Holder, force: Bool,
                               place: String) throws(LockFailure) -> TargetLock {
        var arguments = ["agent", "lock", "--path", plan.path, "--folder", ".slipway", "--holder", AgentCoding.encode(holder)]
        if force { arguments.append("--force-unlock") }
        var command = plan.slipway(arguments)
        command.workingDirectory = nil  // the agent checks the path itself, and says so
        let conversation: any Conversation
        do { conversation = try executor.open(command) } catch { throw .agent(error.description) }
        let line: String
        do { line = try conversation.receive(timeout: replyTimeout) } catch {
            if conversation.finish() == ExecutionResult(.exited(127)) { throw .missing }
            throw .agent(error.description)
        }
        guard let reply = AgentCoding.decode(AgentReply.self, line) else {
            _ = conversation.finish()
            throw .agent("it answered '\(line.prefix(300))'")
        }
        guard reply.ok else {
            _ = conversation.finish()
            throw .refused(reply.error ?? .failed, reply.message ?? "the lock was refused")
        }
        return TargetLock(conversation: conversation, journalPath: place + ":" + plan.path + "/.slipway/journal.jsonl")
    }

    deinit { if !released { _ = conversation.finish() } }

    public func append(_ entry: JournalEntry, sync: Bool) throws(Journal.JournalError) {
        let reply: AgentReply
        do { reply = try ask(AgentRequest(op: .append, entry: entry, sync: sync)) } catch {
            throw Journal.JournalError(path: journalPath, reason: error.description)
        }
        guard reply.ok else { throw Journal.JournalError(path: journalPath, reason: reply.message ?? "the agent refused the line") }
    }

    /// The target's journal, read by the agent under the lock.
    public func entries() throws(ConversationError) -> [JournalEntry] {
        let reply = try ask(AgentRequest(op: .journal))
        guard reply.ok else { throw ConversationError(reply.message ?? "the agent could not read the journal") }
        return reply.entries ?? []
    }

    /// Preflight's checks, run by the agent on the target.
    public func preflight(_ needs: Preflight.Needs) -> [Preflight.Check] {
        do {
            let reply = try ask(AgentRequest(op: .preflight, needs: needs))
            if let checks = reply.checks { return checks }
            return [Preflight.Check(name: "preflight", ok: false, detail: reply.message ?? "the agent ran no checks")]
        } catch {
            return [Preflight.Check(name: "preflight", ok: false, detail: "slipway's agent on the target did not answer: \(error)")]
        }
    }

    /// The target's revision (the inner value nil when it is not a git work tree); nil when the agent did not answer.
    public func revision() -> String?? {
        guard let reply = try? ask(AgentRequest(op: .revision)), reply.ok else { return nil }
        return .some(reply.revision)
    }

    /// Ends the agent without a release: it journals its deploy as interrupted and leaves the
    /// lock stale, for a deploy whose journal could not be finished.
    public func abandon() {
        guard !released else { return }
        released = true
        _ = conversation.finish()
    }

    /// Runs a step's command through the agent: its output as it comes, then how it ended.
    /// `cancelled` is asked between lines (at least every quarter second): each new request
    /// to stop is passed on (SIGTERM to the step's process group there, then SIGKILL).
    func run(_ command: Command, cancels: () -> Int, output: (String) -> Void) -> ExecutionResult {
        let start = Clock.now()
        func elapsed() -> Int { Int((Clock.now() - start) * 1000) }
        do {
            try conversation.send(AgentCoding.encode(AgentRequest(op: .run, command: WireCommand(command))))
        } catch {
            return ExecutionResult(.lost(Self.lost(error, command)), durationMilliseconds: elapsed())
        }
        var sent = 0
        while true {
            let wanted = cancels()
            while sent < wanted {
                sent += 1
                try? conversation.send(AgentCoding.encode(AgentRequest(op: .cancel)))
            }
            let line: String
            do {
                line = try conversation.receive(timeout: 0.25)
            } catch {
                if error.timedOut { continue }
                return ExecutionResult(.lost(Self.lost(error, command)), durationMilliseconds: elapsed())
            }
            guard let reply = AgentCoding.decode(AgentReply.self, line) else { output(line); continue }
            if let out = reply.out { output(out); continue }
            if let ending = reply.ending {
                return ExecutionResult(ending.termination(timeout: command.timeout), durationMilliseconds: elapsed())
            }
            return ExecutionResult(.notStarted(reply.message ?? "the agent refused the step"), durationMilliseconds: elapsed())
        }
    }

    private static func lost(_ error: ConversationError, _ command: Command) -> String {
        "\(error) — the step was running `\(command.render())`"
    }

    /// Removes the lock and ends the agent.
    public func release() {
        guard !released else { return }
        released = true
        _ = try? ask(AgentRequest(op: .release))
        _ = conversation.finish()
    }

    private func ask(_ request: AgentRequest) throws(ConversationError) -> AgentReply {
        try conversation.send(AgentCoding.encode(request))
        let line = try conversation.receive(timeout: Self.replyTimeout)
        guard let reply = AgentCoding.decode(AgentReply.self, line) else { throw ConversationError("it answered '\(line.prefix(300))'") }
        return reply
    }
}

/// Where a deploy's journal lines go: the target's agent, or a file in tests.
public protocol JournalSink {
    func append(_ entry: JournalEntry, sync: Bool) throws(Journal.JournalError)
}

extension Journal: JournalSink {}
