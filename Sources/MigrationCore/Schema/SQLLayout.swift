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
        // Works on byte ranges of the statement: a schema read lays out every statement.
        var words = SQLWords(sql)
        // Each token's range, whether whitespace or a comment came before it, and its byte when it is one byte long.
        var tokens: [(range: Range<Int>, gap: Bool, single: UInt8)] = []
        tokens.reserveCapacity(words.bytes.count / 4)
        var end = 0
        while let r = words.nextRange() {
            tokens.append((r, r.lowerBound > end, r.count == 1 ? words.bytes[r.lowerBound] : 0))
            end = r.upperBound
        }
        var bytes = words.bytes
        func isByte(_ t: Int, _ c: Unicode.Scalar) -> Bool { tokens[t].single == UInt8(ascii: c) }
        func isWord(_ t: Int, _ upper: StaticString) -> Bool { Self.word(bytes[tokens[t].range], is: upper) }
        while let last = tokens.indices.last, isByte(last, ";") { tokens.removeLast() }
        let n = tokens.count
        let isTable = n >= 2 && isWord(0, "CREATE")
            && (isWord(1, "TABLE") || (n >= 3 && (isWord(1, "TEMP") || isWord(1, "TEMPORARY")) && isWord(2, "TABLE")))
        let isTrigger = n >= 1 && isWord(0, "CREATE") && (1..<min(4, n)).contains { isWord($0, "TRIGGER") }

        // Names SQLite's RENAME writes quoted ("t") read the same as the author's t:
        // the plain spelling goes after the statement's bytes and the token points there.
        for t in Self.namePositions(count: n, isWord: isWord) {
            let first = bytes[tokens[t].range.lowerBound]
            guard first == UInt8(ascii: "\"") || first == UInt8(ascii: "`") || first == UInt8(ascii: "[") else { continue }
            let word = String(decoding: bytes[tokens[t].range], as: UTF8.self)
            let plain = plainName(word)
            guard plain != word else { continue }
            let at = bytes.count
            bytes.append(contentsOf: plain.utf8)
            tokens[t].range = at..<bytes.count
            tokens[t].single = tokens[t].range.count == 1 ? bytes[at] : 0
        }

        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        bytes.withUnsafeBufferPointer { source in
            var depth = 0
            var bodyOpened = false
            for t in 0..<n {
                let p = t - 1
                let opensBody = isTable && !bodyOpened && depth == 0 && isByte(t, "(")
                let closesBody = isTable && bodyOpened && depth == 1 && isByte(t, ")")
                if t == 0 {
                } else if opensBody {
                    out.append(0x20)
                } else if isTable && bodyOpened && depth == 1 && (isByte(p, "(") || isByte(p, ",")) && !closesBody {
                    out.append(contentsOf: [0x0A, 0x20, 0x20])
                } else if closesBody {
                    out.append(0x0A)
                } else if isTrigger && depth == 0 && (isWord(p, "BEGIN") || isByte(p, ";")) {
                    out.append(contentsOf: isWord(t, "END") ? [0x0A] : [0x0A, 0x20, 0x20])
                } else if isByte(p, ",") {
                    out.append(0x20)
                } else if isByte(t, ",") || isByte(t, ")") || isByte(p, "(") {
                } else if isByte(t, "(") {
                    if SQLKeyword.contains(utf8: UnsafeBufferPointer(rebasing: source[tokens[p].range])) {
                        out.append(0x20)
                    }
                } else if tokens[t].gap {
                    out.append(0x20)
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: source[tokens[t].range]))
                if isByte(t, "(") {
                    depth += 1
                    if opensBody { bodyOpened = true }
                } else if isByte(t, ")") {
                    depth -= 1
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where a CREATE statement names an object or a table: after TABLE/INDEX/VIEW/TRIGGER
    /// (past IF NOT EXISTS), after REFERENCES, and after ON in an index or trigger.
    private static func namePositions(count: Int, isWord: (Int, StaticString) -> Bool) -> [Int] {
        var positions: [Int] = []
        var named = false, onSeen = false
        for i in 0..<max(count - 1, 0) {
            if !named, isWord(i, "TABLE") || isWord(i, "INDEX") || isWord(i, "VIEW") || isWord(i, "TRIGGER") {
                var j = i + 1
                while j + 1 < count, isWord(j, "IF") || isWord(j, "NOT") || isWord(j, "EXISTS") { j += 1 }
                positions.append(j)
                named = true
            } else if isWord(i, "REFERENCES") || (isWord(i, "ON") && named && !onSeen) {
                positions.append(i + 1)
                onSeen = onSeen || isWord(i, "ON")
            }
        }
        return positions
    }

    /// Whether the bytes `w` are the keyword `upper` (ASCII capitals) in any case.
    static func word(_ w: ArraySlice<UInt8>, is upper: StaticString) -> Bool {
        guard w.count == upper.utf8CodeUnitCount else { return false }
        return upper.withUTF8Buffer { k in
            var i = w.startIndex
            for c in k {
                if w[i] & 0xDF != c { return false }
                i += 1
            }
            return true
        }
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
