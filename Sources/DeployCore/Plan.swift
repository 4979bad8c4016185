/// What a deploy will do on one target: its steps as commands, in order.
/// Dry-run prints it, tests compare it, the journal stores it.
public struct Plan: Sendable, Equatable {
    public var app: String?
    public var target: String
    /// The target's folder, as the executor sees it.
    public var path: String
    public var steps: [PlannedStep]
    /// `on_failure:`: run after a failed step when an earlier one changed something, numbered after `steps`.
    public var onFailure: [PlannedStep] = []
    /// Values from the environment, masked in every output.
    public var masker: Masker
    /// For `rollback TARGET`: the id of the deploy this plan undoes.
    public var rollsBack: String?
    /// The slipway binary on the target: it runs `migrate` and the agent that holds the lock.
    public var slipway: Command.Word

    public init(app: String?, target: String, path: String, steps: [PlannedStep], masker: Masker, rollsBack: String? = nil,
                slipway: Command.Word = .text("slipway")) {
        self.rollsBack = rollsBack
        self.slipway = slipway
        self.app = app
        self.target = target
        self.path = path
        self.steps = steps
        self.masker = masker
    }

    /// Tools the steps call that must be on PATH (checked by preflight).
    public var tools: [String] {
        var tools: [String] = []
        for step in steps + onFailure {
            let tool: String? = switch step.kind {
            case .gitPull, .gitReset: "git"
            case .pm2: "pm2"
            case .supervisor: "supervisorctl"
            case .run, .migrate, .backup, .rollbackMigrations: nil
            }
            if let tool, !tools.contains(tool) { tools.append(tool) }
        }
        return tools
    }

    /// `slipway ARGUMENTS`, run on the target in its folder.
    public func slipway(_ arguments: [String]) -> Command {
        Command([slipway] + arguments.map(Command.Word.text), workingDirectory: path)
    }

    public var hasGit: Bool { steps.contains { $0.kind.movesCode } }
    /// A `migrate` step, or the rollback's: either needs the database and valid migrations.
    public var hasMigrate: Bool {
        steps.contains { if case .rollbackMigrations = $0.kind { true } else { $0.kind == .migrate } }
    }
}

/// One step, ready to run.
public struct PlannedStep: Sendable, Equatable {
    /// 1-based position in the plan.
    public var number: Int
    /// `name:` or a summary of the command (secrets masked).
    public var name: String
    public var kind: StepKind
    public var command: Command
    public var retries: Int
    public var continueOnError: Bool

    public init(number: Int, name: String, kind: StepKind, command: Command, retries: Int = 0, continueOnError: Bool = false) {
        self.number = number
        self.name = name
        self.kind = kind
        self.command = command
        self.retries = retries
        self.continueOnError = continueOnError
    }

    /// The app's process is down after this step (until a later start).
    public var stopsApp: Bool {
        switch kind {
        case .pm2(.stop, _), .supervisor(.stop, _, _): true
        default: false
        }
    }

    /// The app's process runs after this step.
    public var startsApp: Bool {
        switch kind {
        case .pm2(let a, _), .supervisor(let a, _, _): a != .stop
        default: false
        }
    }
}
