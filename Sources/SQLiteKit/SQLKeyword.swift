import CSQLite

/// SQLite's own list of keywords (`sqlite3_keyword_check`), so that code laying
/// out SQL needs no copy of it.
public enum SQLKeyword {
    public static func contains(_ word: String) -> Bool {
        var word = word
        return word.withUTF8(contains(utf8:))
    }

    /// The same test on a word's UTF-8 bytes, for callers that hold no string.
    public static func contains(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withMemoryRebound(to: CChar.self) { sqlite3_keyword_check($0.baseAddress, Int32($0.count)) != 0 }
    }
}
