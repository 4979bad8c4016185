extension Changeset {
    /// `changeset` with the given columns (by table, lowercased name → column
    /// indexes; key columns excepted) left out of every UPDATE, as if they had not changed;
    /// an UPDATE that changed nothing else is dropped (its table's header stays,
    /// which changeset readers accept). INSERTs and DELETEs keep every column.
    ///
    /// Why: the caller knows which columns an inverse must not write back (a column
    /// the reverse drops anyway; one a session on SQLite 3.40 reports as changed
    /// from NULL on a row stored before the column was added, though it never was).
    /// Format: https://sqlite.org/session/changeset_start.html and the
    /// "changeset format" comment in sqlite3session.h.
    public static func leavingOut(_ columns: [String: Set<Int>], of changeset: [UInt8]) throws(SQLiteError) -> [UInt8] {
        guard !columns.isEmpty, !changeset.isEmpty else { return changeset }
        return try changeset.withUnsafeBufferPointer { (bytes) throws(SQLiteError) -> [UInt8] in
            var reader = ChangesetReader(bytes: bytes)
            // Bytes are copied lazily: a changeset with nothing to leave out is returned as it is.
            var out: [UInt8]?
            var copied = 0
            var count = 0, keys: [Bool] = [], skip: [Int] = []
            var old: [Range<Int>] = [], new: [Range<Int>] = []
            while !reader.atEnd {
                let start = reader.i
                let op = try reader.byte()
                if op == UInt8(ascii: "T") {
                    count = try reader.varint()
                    keys = []
                    for _ in 0..<count { keys.append(try reader.byte() != 0) }
                    let nameStart = reader.i
                    while try reader.byte() != 0 {}
                    let name = String(decoding: bytes[nameStart..<(reader.i - 1)], as: UTF8.self)
                    skip = (columns[name.lowercased()] ?? []).filter { $0 < count && !keys[$0] }.sorted()  // a key always stays
                    continue
                }
                _ = try reader.byte()  // indirect flag
                guard op == 23, !skip.isEmpty else {  // SQLITE_UPDATE = 23
                    for _ in 0..<((op == 23 ? 2 : 1) * count) { try reader.skipValue() }
                    continue
                }
                old.removeAll(keepingCapacity: true)
                new.removeAll(keepingCapacity: true)
                for _ in 0..<count { old.append(try reader.value()) }
                for _ in 0..<count { new.append(try reader.value()) }
                guard skip.contains(where: { bytes[old[$0].lowerBound] != 0 || bytes[new[$0].lowerBound] != 0 }) else { continue }
                if out == nil { out = []; out!.reserveCapacity(bytes.count) }
                out!.append(contentsOf: bytes[copied..<start])
                copied = reader.i
                let changesLeft = (0..<count).contains { !keys[$0] && skip.firstIndex(of: $0) == nil && bytes[new[$0].lowerBound] != 0 }
                guard changesLeft else { continue }  // the UPDATE changed nothing else: dropped
                out!.append(contentsOf: bytes[start..<(start + 2)])
                for record in [old, new] {
                    for (i, range) in record.enumerated() {
                        if skip.contains(i) { out!.append(0) } else { out!.append(contentsOf: bytes[range]) }
                    }
                }
            }
            guard var result = out else { return changeset }
            result.append(contentsOf: bytes[copied...])
            return result
        }
    }
}
