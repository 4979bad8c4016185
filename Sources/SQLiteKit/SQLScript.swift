import CSQLite

/// A text of several SQL statements, split by SQLite itself.
///
/// Each call to `next(on:)` prepares the next statement with `sqlite3_prepare_v2`
/// and continues from its tail, so semicolons inside strings, comments and
/// trigger bodies never split a statement. Statements are prepared one at a
/// time because a statement may name a table that the previous one creates.
public final class SQLScript {
    /// NUL-terminated UTF-8 bytes of the whole script.
    let bytes: [CChar]
    /// Byte offset of the next unprepared text.
    public internal(set) var position = 0

    public init(_ text: String) {
        bytes = Array(text.utf8CString)
    }

    /// Byte count of the script, without the terminating NUL.
    public var count: Int { bytes.count - 1 }

    /// The next statement, or nil when only whitespace and comments remain.
    ///
    /// On a prepare error, the thrown `SQLiteError.offset` is absolute within the
    /// script (or nil) and `position` still points at the failing statement's text.
    public func next(on connection: Connection) throws -> ScriptStatement? {
        while position < count {
            var stmt: OpaquePointer?
            var tailOffset = 0
            let start = position
            let rc = bytes.withUnsafeBufferPointer { buf -> Int32 in
                let base = buf.baseAddress!
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(connection.handle, base + start, Int32(count - start), &stmt, &tail)
                tailOffset = tail.map { $0 - base } ?? count
                return rc
            }
            if rc != SQLITE_OK {
                var error = connection.lastError(rc, sql: nil)
                error.offset = error.offset.map { $0 + start }
                throw error
            }
            position = max(tailOffset, start + 1)
            guard let stmt else { continue }  // a comment-only stretch
            return ScriptStatement(
                statement: Statement(handle: stmt, connection: connection), range: start..<tailOffset)
        }
        return nil
    }

    /// The script's text in a byte range.
    public func text(_ range: Range<Int>) -> String {
        let slice = bytes[range.clamped(to: 0..<count)].map { UInt8(bitPattern: $0) }
        return String(decoding: slice, as: UTF8.self)
    }
}

/// A prepared statement and the byte range of the script text it came from
/// (leading whitespace and comments included).
public struct ScriptStatement {
    public let statement: Statement
    public let range: Range<Int>
}
