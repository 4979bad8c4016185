#if canImport(Glibc)
import Glibc
#endif

/// Words of an SQL statement: identifiers (quoted ones whole), keywords and
/// single punctuation, skipping whitespace and comments. Enough to read a
/// statement's head (ALTER TABLE, UPDATE, DELETE) and to lay out or compare
/// schema text; SQLite itself has already parsed the statement (it exposes no
/// tokenizer). Works on UTF-8 bytes, as SQLite's tokenizer does.
struct SQLWords {
    /// The statement's UTF-8 bytes, which `nextRange()` indexes.
    let bytes: [UInt8]
    private var i = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    /// Byte offset just past the last word read: where whitespace or a comment
    /// separated two words, the next word starts beyond it (`SQLLayout`).
    var offset: Int { i }

    /// Bytes of an identifier, as SQLite's tokenizer sees them: ASCII letters,
    /// digits, `_`, `$`, and every byte of a non-ASCII character.
    private static func isIdentifier(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x24 || b >= 0x80
    }

    /// The next word's byte range in `bytes`, without making a string (`SQLLayout`).
    mutating func nextRange() -> Range<Int>? {
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D { i += 1; continue }
            if c == UInt8(ascii: "-"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "-") {
                while i < n, bytes[i] != 0x0A { i += 1 }
                continue
            }
            if c == UInt8(ascii: "/"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < n, !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
                continue
            }
            break
        }
        guard i < n else { return nil }
        let start = i
        let c = bytes[i]
        let closing: UInt8? = switch c {
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "`"): UInt8(ascii: "`")
        case UInt8(ascii: "["): UInt8(ascii: "]")
        case UInt8(ascii: "'"): UInt8(ascii: "'")
        default: nil
        }
        if let closing {
            i += 1
            while i < n {
                if bytes[i] == closing {
                    if closing != UInt8(ascii: "]"), i + 1 < n, bytes[i + 1] == closing { i += 2; continue }
                    break
                }
                i += 1
            }
            i = min(i + 1, n)
        } else if Self.isIdentifier(c) {
            while i < n, Self.isIdentifier(bytes[i]) { i += 1 }
        } else {
            i += 1
        }
        return start..<min(i, n)
    }


    /// Whether `word` is `keyword` (lowercase ASCII letters) in any case, without making a string.
    static func isKeyword(_ word: ArraySlice<UInt8>, _ keyword: StaticString) -> Bool {
        guard word.count == keyword.utf8CodeUnitCount else { return false }
        let k = keyword.utf8Start
        var i = 0
        for b in word {
            guard b | 0x20 == k[i] else { return false }
            i += 1
        }
        return true
    }

    mutating func next() -> String? {
        nextRange().map { String(decoding: bytes[$0], as: UTF8.self) }
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

    /// Whether `needle`'s bytes occur in `text` as they are (no case folding): a test
    /// for callers that lowercased both, without Foundation's character-wise search.
    static func occurs(_ needle: String, in text: String) -> Bool {
        var text = text, needle = needle
        return needle.withUTF8 { n in
            text.withUTF8 { t in
                guard let first = n.first, t.count >= n.count else { return n.isEmpty }
                for start in 0...(t.count - n.count) where t[start] == first {
                    if memcmp(t.baseAddress! + start, n.baseAddress!, n.count) == 0 { return true }
                }
                return false
            }
        }
    }

    static func unquote(_ word: String) -> String {
        guard let first = word.first, "\"`['".contains(first), word.count >= 2 else { return word }
        let inner = String(word.dropFirst().dropLast())
        return first == "[" ? inner : inner.replacing(String(first) + String(first), with: String(first))
    }
}
