import SQLiteKit

/// A statement of a pending migration as lint's rules see it: what SQLite's
/// authorizer reported while preparing it, its text and where it starts in the file.
struct LintStatement {
    var events: [AuthorizerEvent]
    var sql: String
    var location: SourceLocation

    /// The events of the statement itself, in the main database: not those of a
    /// trigger body it fires, nor of other attached databases.
    var own: [AuthorizerEvent.Action] {
        events.filter { $0.inside == nil && ($0.database == nil || $0.database == "main") }.map(\.action)
    }
}
