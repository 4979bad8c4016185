/// One line of the journal (`<path>/.slipway/journal.jsonl`). A deploy writes a
/// `start` line, one `step` line per finished step, then a `finish` line, so a
/// deploy cut off half-way shows as a start without a finish.
///
/// Everything rollback needs is here: the revision before and after (the whole
/// deploy's and each `git pull`'s) and the migrations each deploy applied.
public struct JournalEntry: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case start, step, finish }

    public var type: Kind
    public var id: String
    /// Unix milliseconds when the line was written.
    public var at: Int64

    // start
    public var target: String?
    public var app: String?
    public var by: Identity?
    /// The plan's commands, rendered and masked.
    public var plan: [PlanLine]?

    // step
    public var step: Int?
    public var name: String?
    public var kind: String?
    public var status: String?
    public var exitCode: Int32?
    public var attempts: Int?
    public var outputTail: [String]?
    /// The step is one of `on_failure:`, run after the deploy failed.
    public var onFailure: Bool?

    // step and finish
    public var durationMs: Int?
    public var revisionBefore: String?
    public var revisionAfter: String?
    public var migrations: [String]?

    // start of a rollback: the deploy it undoes (and `kind` is "rollback")
    public var rollsBack: String?
    // step and finish of a rollback: the migrations it rolled back, in the order they were undone
    public var rolledBack: [String]?

    // finish
    public var result: String?
    public var message: String?

    public struct PlanLine: Sendable, Codable, Equatable {
        public var step: Int
        public var name: String
        public var kind: String
        public var command: String
    }

    public init(type: Kind, id: String, at: Int64) {
        self.type = type
        self.id = id
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case type, id, at, target, app, by, plan, step, name, kind, status, attempts, migrations, result, message
        case exitCode = "exit_code", outputTail = "output_tail", durationMs = "duration_ms", onFailure = "on_failure"
        case revisionBefore = "revision_before", revisionAfter = "revision_after"
        case rollsBack = "rolls_back", rolledBack = "rolled_back"
    }
}
