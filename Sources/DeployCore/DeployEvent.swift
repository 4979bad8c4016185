/// What a deploy reports as it goes; the CLI renders these as human lines or
/// JSON. The engine never writes to a terminal itself.
public enum DeployEvent: Sendable, Equatable {
    case preflight(check: String, ok: Bool, detail: String)
    /// Something a rollback cannot restore (`RollbackCheck`), listed before anything runs.
    case dataLoss(file: String, table: String, detail: String)
    case started(id: String, plan: Plan)
    case stepStarted(PlannedStep, attempt: Int)
    /// A line of the step's output, masked.
    case output(step: Int, line: String)
    /// A line derived from `migrate --json` events (`applied 002_x.sql`), for humans, and the
    /// migration file the event named, so `deploy --json` names it with the same `file` key.
    case migration(step: Int, text: String, file: String?)
    case stepFinished(StepOutcome)
    case finished(DeployOutcome)
}

/// How one step ended.
public struct StepOutcome: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case ok
        case failed
        /// Failed, but `continue_on_error` let the pipeline go on.
        case ignored = "failed (ignored)"
        case timedOut = "timed out"
        case interrupted
        /// Not reached because an earlier step failed.
        case notRun = "not run"
    }

    public var step: PlannedStep
    public var status: Status
    public var result: ExecutionResult?
    public var attempts: Int
    public var durationMilliseconds: Int
    public var revisionBefore: String?
    public var revisionAfter: String?
    /// Applied by a `migrate` step.
    public var migrations: [String] = []
    /// Rolled back by a rollback's migration step, in the order undone.
    public var rolledBack: [String] = []
    /// The last lines of output, masked.
    public var outputTail: [String] = []

    public init(step: PlannedStep, status: Status, result: ExecutionResult? = nil, attempts: Int = 0, durationMilliseconds: Int = 0) {
        self.step = step
        self.status = status
        self.result = result
        self.attempts = attempts
        self.durationMilliseconds = durationMilliseconds
    }
}

/// How the whole deploy ended.
public struct DeployOutcome: Sendable, Equatable {
    public enum Result: String, Sendable, Equatable { case succeeded, failed, interrupted }

    public var id: String
    public var result: Result
    public var steps: [StepOutcome]
    public var durationMilliseconds: Int
    public var revisionBefore: String?
    public var revisionAfter: String?
    public var migrations: [String]
    /// For a rollback: the deploy it undoes, and the migrations it rolled back.
    public var rollsBack: String?
    public var rolledBack: [String] = []
    /// What to do now, when it failed: is the app down, how to start it, how to go back.
    public var advice: [String]
    /// The journal could not be written part-way (the target's agent or the connection to it
    /// is gone): the deploy stopped there, and the agent on the target ends its journal entry.
    public var journalError: String?

    public var failedStep: StepOutcome? { steps.first { [.failed, .timedOut, .interrupted].contains($0.status) } }
}
