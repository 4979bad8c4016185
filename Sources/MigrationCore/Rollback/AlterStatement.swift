/// What an ALTER TABLE statement does. SQLite's authorizer reports ALTER TABLE
/// without saying which kind; the kind decides whether data can be lost
/// (DROP COLUMN) or names change (RENAME), so it is read from the statement.
enum AlterStatement: Equatable {
    case addColumn
    case dropColumn
    case renameColumn
    case renameTable(to: String)
    case unknown

    /// Reads `ALTER TABLE [schema.]name ADD|DROP|RENAME …` from the statement text.
    init(sql: String) {
        var words = SQLWords(sql)
        guard words.next()?.uppercased() == "ALTER", words.next()?.uppercased() == "TABLE", words.next() != nil else {
            self = .unknown
            return
        }
        var verb = words.next()
        if verb == "." {  // schema-qualified name
            _ = words.next()
            verb = words.next()
        }
        switch verb?.uppercased() {
        case "ADD": self = .addColumn
        case "DROP": self = .dropColumn
        case "RENAME":
            let next = words.next()
            if next?.uppercased() == "TO", let name = words.next() {
                self = .renameTable(to: SQLWords.unquote(name))
            } else {
                self = .renameColumn
            }
        default: self = .unknown
        }
    }
}
