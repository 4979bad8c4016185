import ArgumentParser
import DeployCore

#if canImport(Glibc)
import Glibc
#endif

/// `slipway agent …`: what a deploy runs on its target, through the same executor as
/// its steps (this machine, or a host over SSH): the lock holder that writes the
/// journal, and the checks that read the target's database. Not for people; hidden.
struct Agent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "slipway's side of a deploy on the target (used by deploy, rollback and history).",
        shouldDisplay: false,
        subcommands: [AgentLock.self, AgentState.self, AgentPreflight.self, AgentCheckRollback.self, AgentExec.self])
}

/// Holds the deploy lock in FOLDER and appends the journal lines sent on stdin (`LockAgent`).
struct AgentLock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lock")

    @Option var path: String?
    @Option var folder: String
    @Option(help: "The holder, as JSON.") var holder: String
    @Flag(name: .customLong("force-unlock")) var forceUnlock = false

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        // The deploy's Ctrl-C reaches its own process group, not this one; a SIGHUP from a
        // closing session must not end the agent before it journals what happened.
        signal(SIGHUP, SIG_IGN)
        guard let holder = AgentCoding.decode(DeployLock.Holder.self, holder) else {
            throw ValidationError("--holder is not a lock holder's JSON")
        }
        let status = LockAgent(path: path, folder: folder, holder: holder, force: forceUnlock).serve { line in
            Terminal.standardOutput.write(Array((line + "\n").utf8))
        }
        throw ExitCode(status)
    }
}

/// The lock's holder and the journal of FOLDER, as one JSON line (for `history`).
struct AgentState: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "state")

    @Option var folder: String

    func run() throws {
        print(AgentCoding.encode(LockAgent.state(folder: folder)))
    }
}

/// Preflight's checks of the target it runs in (`Preflight`), as one JSON line.
struct AgentPreflight: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preflight")

    @Option(help: "What the plan needs, as JSON.") var needs: String

    func run() throws {
        guard var needs = AgentCoding.decode(Preflight.Needs.self, needs) else { throw ValidationError("--needs is not JSON of a plan's needs") }
        needs.path = "."
        print(AgentCoding.encode(Preflight(needs: needs, executor: LocalExecutor()).rest()))
    }
}

/// `RollbackCheck` of the given migrations (a deploy's, oldest first), as one JSON line.
struct AgentCheckRollback: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-rollback")

    @Option var db: String
    @Option var dir: String
    @Option var table: String?
    @Option(name: .customLong("lock-timeout")) var lockTimeout: Int?
    @Option(name: .customLong("migration")) var migrations: [String] = []

    func run() throws {
        var settings = DatabaseSettings()
        settings.path = db
        settings.migrations = dir
        settings.table = table
        settings.lockTimeout = lockTimeout
        var result: RollbackCheck.Result
        do {
            result = try RollbackCheck(path: ".", database: settings).run(migrations: migrations)
        } catch {
            result = RollbackCheck.Result()
            result.error = error.description
        }
        print(AgentCoding.encode(result))
    }
}

/// A remote step, run on the host under slipway's supervision (`ExecAgent`).
struct AgentExec: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exec")

    @Option var timeout: Double?
    @Argument(parsing: .captureForPassthrough) var command: [String] = []

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        let argv = command.first == "--" ? Array(command.dropFirst()) : command
        guard !argv.isEmpty else { throw ValidationError("agent exec: no command after --") }
        let status = ExecAgent.run(Command(argv, timeout: timeout)) { line in
            Terminal.standardOutput.write(Array((line + "\n").utf8))
        }
        throw ExitCode(status)
    }
}
