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

/// Words of an SQL statement: identifiers (quoted ones whole), keywords and
/// single punctuation, skipping whitespace and comments. Enough to read the
/// head of an ALTER TABLE; SQLite itself has already parsed the statement.
struct SQLWords {
    private let chars: [Character]
    private var i = 0

    init(_ text: String) { chars = Array(text) }

    mutating func next() -> String? {
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count, !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i += 2
                continue
            }
            break
        }
        guard i < chars.count else { return nil }
        let start = i
        let c = chars[i]
        let closing: Character? = c == "\"" ? "\"" : c == "`" ? "`" : c == "[" ? "]" : c == "'" ? "'" : nil
        if let closing {
            i += 1
            while i < chars.count {
                if chars[i] == closing {
                    if closing != "]", i + 1 < chars.count, chars[i + 1] == closing { i += 2; continue }
                    break
                }
                i += 1
            }
            i = min(i + 1, chars.count)
        } else if c.isLetter || c.isNumber || c == "_" || c == "$" {
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "$" { i += 1 }
        } else {
            i += 1
        }
        return String(chars[start..<i])
    }

    /// Whether `word` (lowercase ASCII letters) occurs in `sql`, in any case: a cheap
    /// test that may also match inside a longer word, a string or a comment,
    /// for callers that only skip work when it says no.
    static func mentions(_ sql: String, _ word: String) -> Bool {
        let needle = Array(word.utf8)
        guard let first = needle.first else { return true }
        var text = sql
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] | 0x20 == first {
                var k = 1
                while k < needle.count, bytes[start + k] | 0x20 == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            return false
        }
    }

    static func unquote(_ word: String) -> String {
        guard let first = word.first, "\"`['".contains(first), word.count >= 2 else { return word }
        let inner = String(word.dropFirst().dropLast())
        return first == "[" ? inner : inner.replacing(String(first) + String(first), with: String(first))
    }
}
