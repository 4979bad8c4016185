/// What the pragmas do not say about a CREATE TABLE: its CHECK expressions and
/// generated columns' expressions, read from the statement SQLite stored.
///
/// SQLite has parsed the statement already, so walking its words (`SQLWords`)
/// and parentheses is enough: no grammar is needed to find `CHECK (…)` and
/// `AS (…)` at the top level of a column or constraint.
struct SQLText {
    var checks: [String] = []
    /// Lowercased column name → expression.
    var generated: [String: String] = [:]

    /// Nothing read: for a schema read without details.
    init() {}

    init(createTable sql: String) {
        var words = SQLWords(sql)
        var all: [String] = []
        while let w = words.next() { all.append(w) }
        guard let open = all.firstIndex(of: "(") else { return }
        // Split the body into column definitions and table constraints at top-level commas.
        var items: [[String]] = [[]]
        var depth = 0
        for w in all[(open + 1)...] {
            if w == "(" { depth += 1 }
            if w == ")" {
                if depth == 0 { break }
                depth -= 1
            }
            if w == "," && depth == 0 { items.append([]); continue }
            items[items.count - 1].append(w)
        }
        for item in items where !item.isEmpty { read(item) }
    }

    private static let constraintWords: Set<String> = ["constraint", "primary", "unique", "check", "foreign"]

    private mutating func read(_ item: [String]) {
        let isColumn = !Self.constraintWords.contains(item[0].lowercased())
        var depth = 0
        var i = 0
        while i < item.count {
            let w = item[i]
            if w == "(" { depth += 1 } else if w == ")" { depth -= 1 }
            if depth == 0, i + 1 < item.count, item[i + 1] == "(" {
                let keyword = w.lowercased()
                if keyword == "check" || (keyword == "as" && isColumn) {
                    let (expression, end) = Self.parenthesized(item, from: i + 1)
                    if keyword == "check" { checks.append(expression) } else { generated[SQLWords.unquote(item[0]).lowercased()] = expression }
                    i = end
                    continue
                }
            }
            i += 1
        }
    }

    /// The normalized text inside the parentheses opening at `start`, and the index past them.
    private static func parenthesized(_ words: [String], from start: Int) -> (String, Int) {
        var depth = 0
        var i = start
        repeat {
            if words[i] == "(" { depth += 1 } else if words[i] == ")" { depth -= 1 }
            i += 1
        } while depth > 0 && i < words.count
        return (joined(words[(start + 1)..<max(start + 1, i - 1)]), i)
    }

    /// Words joined by single spaces (none around parentheses or before commas),
    /// unquoted words lowercased: SQL keywords and identifiers ignore case, string
    /// literals and quoted names keep theirs. Layout and case never make two
    /// definitions differ; the text is for comparing, not for running.
    static func joined<S: Sequence>(_ words: S) -> String where S.Element == String {
        var out = ""
        var previous = "("
        for w in words {
            if previous != "(" && w != "(" && w != ")" && w != "," { out += " " }
            out += "\"`['".contains(w.first ?? " ") ? w : w.lowercased()
            previous = w
        }
        return out
    }

    /// Whether two statements read alike (`normalized`); equal texts need no second look.
    static func same(_ a: String, _ b: String) -> Bool { a == b || normalized(a) == normalized(b) }

    /// Whether two CREATE TABLEs define the same table under any names (`body`).
    static func sameBody(_ a: String, _ b: String) -> Bool { a == b || body(a) == body(b) }

    /// A statement's words joined as `joined` does: the text two statements are compared by.
    static func normalized(_ sql: String) -> String {
        var words = SQLWords(sql)
        var all: [String] = []
        while let w = words.next() { all.append(w) }
        if all.last == ";" { all.removeLast() }
        return joined(all)
    }

    /// A CREATE TABLE's definition without its name: from the body's `(` on,
    /// normalized. Two tables with equal bodies differ by name only. `sql` is in
    /// `SQLLayout` (as the model holds it), so that names read alike.
    static func body(_ sql: String) -> String {
        var words = SQLWords(sql)
        var all: [String] = []
        var inBody = false
        while let w = words.next() {
            if w == "(" { inBody = true }
            if inBody { all.append(w) }
        }
        return joined(all)
    }

    /// The text of a CREATE TABLE from its body's `(` on, as written: for the same
    /// table under another name.
    static func bodyText(_ sql: String) -> String {
        var words = SQLWords(sql)
        while let w = words.next() {
            if w == "(" {
                let start = sql.utf8.index(sql.utf8.startIndex, offsetBy: words.offset - 1)
                return String(sql[start...])
            }
        }
        return sql
    }
}
