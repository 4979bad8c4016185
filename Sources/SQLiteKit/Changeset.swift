import CSQLite

/// Reading a changeset blob (https://sqlite.org/session/changeset_start.html).
public enum Changeset {
    /// For each UPDATE or DELETE in `changeset`: its table and the indexes of
    /// the columns whose old value is recorded as NULL.
    public static func nullOldValues(in changeset: [UInt8]) throws -> [(table: String, columns: [Int])] {
        guard !changeset.isEmpty else { return [] }
        var bytes = changeset
        return try bytes.withUnsafeMutableBytes { buffer in
            var iterator: OpaquePointer?
            var rc = sqlite3changeset_start(&iterator, Int32(buffer.count), buffer.baseAddress)
            guard rc == SQLITE_OK, let iterator else { throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc))) }
            var found: [(table: String, columns: [Int])] = []
            while sqlite3changeset_next(iterator) == SQLITE_ROW {
                var table: UnsafePointer<CChar>?
                var count: Int32 = 0, op: Int32 = 0, indirect: Int32 = 0
                sqlite3changeset_op(iterator, &table, &count, &op, &indirect)
                guard op == SQLITE_UPDATE || op == SQLITE_DELETE else { continue }
                var nulls: [Int] = []
                for i in 0..<count {
                    var value: OpaquePointer?
                    // A nil value: not recorded (an UPDATE leaves unchanged columns out).
                    if sqlite3changeset_old(iterator, i, &value) == SQLITE_OK, let value, sqlite3_value_type(value) == SQLITE_NULL {
                        nulls.append(Int(i))
                    }
                }
                if !nulls.isEmpty { found.append((table.map { String(cString: $0) } ?? "", nulls)) }
            }
            rc = sqlite3changeset_finalize(iterator)
            guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc))) }
            return found
        }
    }
}
