import SQLiteKit

/// One layout for a schema statement, whatever its author's: what `dump` prints
/// and what a migration written by `diff` leaves behind compare as text.
///
/// Words stay as written (case, quotes, literals) and keep their neighbours
/// where no whitespace separated them (`3.25`, `x'00'`, `<=`), so the text means
/// what it meant. Comments go; whitespace becomes one space; none inside
/// parentheses or before a comma, one after a comma; a CREATE TABLE gets one
/// column or constraint per line, a trigger one statement of its body per line.
enum SQLLayout {
    static func normalized(_ sql: String) -> String {
        var words = SQLWords(sql)
        var tokens: [(word: String, gap: Bool)] = []
        var end = 0
        while let w = words.next() {
            tokens.append((w, words.offset - w.utf8.count > end))
            end = words.offset
        }
        while tokens.last?.word == ";" { tokens.removeLast() }
        let head = tokens.prefix(4).map { $0.word.uppercased() }
        let isTable = head.starts(with: ["CREATE", "TABLE"]) || head.starts(with: ["CREATE", "TEMP", "TABLE"])
            || head.starts(with: ["CREATE", "TEMPORARY", "TABLE"])
        let isTrigger = head.contains("TRIGGER") && head.first == "CREATE"

        // Names SQLite's RENAME writes quoted ("t") read the same as the author's t.
        let namePositions = Self.namePositions(tokens.map(\.word))
        for i in namePositions { tokens[i].word = plainName(tokens[i].word) }

        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var depth = 0
        var bodyOpened = false
        var previous = ""
        for (i, (word, gap)) in tokens.enumerated() {
            var separator = ""
            let opensBody = isTable && !bodyOpened && word == "(" && depth == 0
            let closesBody = isTable && bodyOpened && word == ")" && depth == 1
            if i == 0 {
                separator = ""
            } else if opensBody {
                separator = " "
            } else if isTable && bodyOpened && depth == 1 && (previous == "(" || previous == ",") && !closesBody {
                separator = "\n  "
            } else if closesBody {
                separator = "\n"
            } else if isTrigger && depth == 0 && (Self.word(previous, is: "BEGIN") || previous == ";") {
                separator = Self.word(word, is: "END") ? "\n" : "\n  "
            } else if previous == "," {
                separator = " "
            } else if word == "," || word == ")" || previous == "(" {
                separator = ""
            } else if word == "(" {
                separator = SQLKeyword.contains(previous) ? " " : ""
            } else if gap {
                separator = " "
            }
            out += separator
            out += word
            if word == "(" {
                depth += 1
                if opensBody { bodyOpened = true }
            } else if word == ")" {
                depth -= 1
            }
            previous = word
        }
        return out
    }

    /// Where a CREATE statement names an object or a table: after TABLE/INDEX/VIEW/TRIGGER
    /// (past IF NOT EXISTS), after REFERENCES, and after ON in an index or trigger.
    private static func namePositions(_ words: [String]) -> [Int] {
        var positions: [Int] = []
        var named = false, onSeen = false
        for (i, w) in words.enumerated() where i + 1 < words.count {
            if !named, ["TABLE", "INDEX", "VIEW", "TRIGGER"].contains(where: { word(w, is: $0) }) {
                var j = i + 1
                while j + 1 < words.count, ["IF", "NOT", "EXISTS"].contains(where: { word(words[j], is: $0) }) { j += 1 }
                positions.append(j)
                named = true
            } else if word(w, is: "REFERENCES") || (word(w, is: "ON") && named && !onSeen) {
                positions.append(i + 1)
                onSeen = onSeen || word(w, is: "ON")
            }
        }
        return positions
    }

    /// Whether `w` is the keyword `upper` (ASCII capitals) in any case, without making a string.
    static func word(_ w: String, is upper: StaticString) -> Bool {
        guard w.utf8.count == upper.utf8CodeUnitCount else { return false }
        return upper.withUTF8Buffer { k in zip(w.utf8, k).allSatisfy { $0 & 0xDF == $1 } }
    }

    /// `"name"` as `name` when quoting changes nothing: a plain identifier that is no keyword.
    static func plainName(_ word: String) -> String {
        guard let first = word.first, "\"`[".contains(first), word.count > 2 else { return word }
        let inner = SQLWords.unquote(word)
        let plain = inner.unicodeScalars.enumerated().allSatisfy { i, c in
            c.isASCII && (c.properties.isAlphabetic || c == "_" || (i > 0 && ("0"..."9").contains(c)))
        }
        return plain && !SQLKeyword.contains(inner) ? inner : word
    }
}
