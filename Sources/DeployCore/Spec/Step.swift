/// One step of a pipeline as written in deploy.yml.
public struct Step: Sendable, Equatable {
    public var kind: StepKind
    public var options: StepOptions
    /// Where the step starts in deploy.yml, for messages.
    public var line: Int
    public var column: Int

    public init(kind: StepKind, options: StepOptions = StepOptions(), line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.options = options
        self.line = line
        self.column = column
    }
}

public enum StepKind: Sendable, Equatable {
    /// `run: CMD`, run by `/bin/sh -c` in the target's path.
    case run(SpecString)
    /// `git: pull`, fast-forward only.
    case gitPull
    /// `migrate`: `slipway migrate --json` on the target's database.
    case migrate
    case pm2(ProcessAction, SpecString)
    /// `supervisor: ACTION NAME`, with the `config:` option as `supervisorctl -c`.
    case supervisor(ProcessAction, SpecString, config: SpecString?)
    /// `backup`: a consistent copy of the target's database.
    case backup
    /// Planned by `rollback TARGET` only, never written in deploy.yml:
    /// `git reset --hard REVISION` on the current branch.
    case gitReset(revision: String)
    /// Planned by `rollback TARGET` only: `slipway rollback --migration …`,
    /// undoing exactly these migrations (newest first).
    case rollbackMigrations([String])

    public static let names = ["run", "git", "migrate", "pm2", "supervisor", "backup"]

    public var name: String {
        switch self {
        case .run: "run"
        case .gitPull: "git"
        case .migrate: "migrate"
        case .pm2: "pm2"
        case .supervisor: "supervisor"
        case .backup: "backup"
        case .gitReset: "git"
        case .rollbackMigrations: "rollback"
        }
    }

    /// Human text, e.g. `pm2 stop app`, with secrets masked.
    public var summary: String {
        switch self {
        case .run(let command): command.masked
        case .gitPull: "git pull"
        case .migrate: "migrate"
        case .pm2(let action, let name): "pm2 \(action.rawValue) \(name.masked)"
        case .supervisor(let action, let name, _): "supervisor \(action.rawValue) \(name.masked)"
        case .backup: "backup"
        case .gitReset(let revision): "git reset --hard \(revision.prefix(12))"
        // The summary table and the journal show this name: past two files, the count and the ends
        // (the preflight line and the step's own output list every one).
        case .rollbackMigrations(let files) where files.count > 2:
            "roll back \(files.count) migrations, \(files.first!) … \(files.last!)"
        case .rollbackMigrations(let files): "roll back \(files.joined(separator: ", "))"
        }
    }

    /// `git pull` or the rollback's `git reset`: the steps whose revisions are journaled.
    public var movesCode: Bool {
        switch self {
        case .gitPull, .gitReset: true
        default: false
        }
    }

    /// Steps whose output is `slipway … --json` events.
    public var runsSlipway: Bool {
        switch self {
        case .migrate, .backup, .rollbackMigrations: true
        default: false
        }
    }
}

/// What a process-manager step does to the app.
public enum ProcessAction: String, Sendable, Equatable, CaseIterable {
    case stop, start, restart, reload

    /// supervisorctl has no `reload` for one program.
    public static let supervisor: [ProcessAction] = [.stop, .start, .restart]
}

/// Options any step may carry.
public struct StepOptions: Sendable, Equatable {
    public var name: SpecString?
    /// Seconds; the step's whole process group is killed when it runs longer.
    public var timeout: Double?
    /// Extra attempts after a failure.
    public var retries = 0
    public var continueOnError = false
    /// Target names; empty means every target.
    public var only: [String] = []
    public var except: [String] = []
    public var env: [(String, SpecString)] = []

    public init() {}

    public static func == (a: StepOptions, b: StepOptions) -> Bool {
        a.name == b.name && a.timeout == b.timeout && a.retries == b.retries && a.continueOnError == b.continueOnError
            && a.only == b.only && a.except == b.except
            && a.env.map(\.0) == b.env.map(\.0) && a.env.map(\.1) == b.env.map(\.1)
    }

    public static let keys = ["name", "timeout", "retries", "continue_on_error", "only", "except", "env"]
}
