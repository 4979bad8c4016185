extension Changeset {
    /// `changeset` with each NULL old value of the given columns (by table,
    /// lowercased name → column index → value) in UPDATEs and DELETEs replaced by
    /// that column's value.
    ///
    /// Why: a session on SQLite 3.40 records NULL as the old value of a column
    /// added by `ALTER TABLE … ADD COLUMN … DEFAULT x` for rows stored before it
    /// (`Session.seesAddedColumnDefaults`). For a NOT NULL column NULL cannot be
    /// the true value, so it stands for x, and the inverse must write x back.
    public static func fillingNullOldValues(_ values: [String: [Int: SQLiteValue]], of changeset: [UInt8]) throws(SQLiteError) -> [UInt8] {
        guard !values.isEmpty, !changeset.isEmpty else { return changeset }
        return try changeset.withUnsafeBufferPointer { (bytes) throws(SQLiteError) -> [UInt8] in
            var reader = ChangesetReader(bytes: bytes)
            var out: [UInt8]?
            var copied = 0
            var count = 0, fill: [Int: SQLiteValue] = [:]
            while !reader.atEnd {
                let op = try reader.byte()
                if op == UInt8(ascii: "T") {
                    count = try reader.varint()
                    reader.i += count  // primary-key flags
                    let nameStart = reader.i
                    while try reader.byte() != 0 {}
                    fill = values[String(decoding: bytes[nameStart..<(reader.i - 1)], as: UTF8.self).lowercased()] ?? [:]
                    continue
                }
                _ = try reader.byte()  // indirect flag
                let hasOld = op == 23 || op == 9  // SQLITE_UPDATE, SQLITE_DELETE
                for column in 0..<count {
                    let range = try reader.value()
                    guard hasOld, bytes[range.lowerBound] == 5, let value = fill[column], let encoded = encode(value) else { continue }
                    if out == nil { out = []; out!.reserveCapacity(bytes.count + 64) }
                    out!.append(contentsOf: bytes[copied..<range.lowerBound])
                    out!.append(contentsOf: encoded)
                    copied = range.upperBound
                }
                if op == 23 { for _ in 0..<count { try reader.skipValue() } }  // an UPDATE's new values
            }
            guard var result = out else { return changeset }
            result.append(contentsOf: bytes[copied...])
            return result
        }
    }

    /// A value as a changeset stores it: a type byte, then 8 big-endian bytes or a varint length and bytes.
    static func encode(_ value: SQLiteValue) -> [UInt8]? {
        func bigEndian(_ bits: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: bits >> ($0 * 8)) } }
        func varint(_ n: Int) -> [UInt8] {
            guard n > 0x7F else { return [UInt8(n)] }
            var groups: [UInt8] = []
            var v = n
            while v > 0 { groups.insert(UInt8(v & 0x7F), at: 0); v >>= 7 }
            return groups.enumerated().map { $0.offset < groups.count - 1 ? $0.element | 0x80 : $0.element }
        }
        switch value {
        case .integer(let v): return [1] + bigEndian(UInt64(bitPattern: v))
        case .real(let v): return [2] + bigEndian(v.bitPattern)
        case .text(let s): return [3] + varint(s.utf8.count) + Array(s.utf8)
        case .blob(let b): return [4] + varint(b.count) + b
        case .null: return nil
        }
    }
}
