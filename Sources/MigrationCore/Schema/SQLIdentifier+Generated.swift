import SQLiteKit

/// Names written into generated SQL (`diff`): bare when SQLite reads them the
/// same bare, quoted otherwise, so a generated migration reads like a hand-written one.
extension SQLIdentifier {
    static func quoteIfNeeded(_ name: String) -> String {
        let quoted = quote(name)
        return SQLLayout.plainName(quoted) == name ? name : quoted
    }

    /// A string literal, for names compared as values (`sqlite_sequence.name`).
    static func literal(_ text: String) -> String { "'" + text.replacing("'", with: "''") + "'" }
}
