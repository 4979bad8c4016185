import Crypto
import SQLiteKit

/// A SHA-256 over a table's rows (or some of its columns), values with their
/// storage class, in rowid order. Rollback compares the digest it recorded
/// after a migration with the one it finds, to say what changed since;
/// rehearsal compares a copy with the original.
enum TableDigest {
    /// The digest of a table without rows.
    static let empty = hex(SHA256().finalize())

    /// The rows of a rowid table whose rowid is after `after` (nil: any) and up to `through`.
    struct Rowids {
        var after: Int64?
        var through: Int64
        var condition: String { (after.map { "rowid > \($0) AND " } ?? "") + "rowid <= \(through)" }
    }

    static func of(_ table: String, columns: [String]? = nil, byValue: Bool = false, rowids: Rowids? = nil, on db: Connection) throws -> String {
        let sql = try rowids.map { "SELECT rowid, * FROM \(SQLIdentifier.quote(table)) WHERE \($0.condition) ORDER BY rowid" }
            ?? query(table, columns: columns, byValue: byValue, db)
        return try hash(db.prepare(sql)).digest
    }

    /// The table's rows as a set of values: every column, rows ordered by all of them
    /// (binary collation), no rowid. Equal when the same rows are there under other
    /// rowids, as a rebuild without an INTEGER PRIMARY KEY gives them: what lint's
    /// check of a down section compares.
    static func ofValues(_ table: String, on db: Connection) throws -> String {
        let quoted = SQLIdentifier.quote(table)
        let width = try db.prepare("SELECT * FROM \(quoted)").columnCount
        let order = (1...max(width, 1)).map { "\($0) COLLATE BINARY" }.joined(separator: ", ")
        return try hash(db.prepare("SELECT * FROM \(quoted) ORDER BY \(order)")).digest
    }

    /// The rows after rowid `after` (all, when nil) as `of(table, rowids:)` hashes them up to
    /// the largest, with how many there are and that largest rowid: a range's whole record
    /// in one pass (nil `through` when there are none).
    static func range(_ table: String, after: Int64?, on db: Connection) throws -> (digest: String, rows: Int64, through: Int64?) {
        // Cached: a run records ranges of the same tables again and again (an audit table, a
        // table filled in steps), and preparing the query costs more than hashing a few rows.
        let query = try db.cached("SELECT rowid, * FROM \(SQLIdentifier.quote(table)) \(after == nil ? "" : "WHERE rowid > ? ")ORDER BY rowid")
        try query.bind(after.map { [.integer($0)] } ?? [])
        defer { query.reset() }
        let found = try hash(query, firstIsRowid: true)
        return (found.digest, found.rows, found.last)
    }

    /// The digest of the rows `statement` returns, their count and, when `firstIsRowid`, the last row's first value.
    private static func hash(_ statement: Statement, firstIsRowid: Bool = false) throws -> (digest: String, rows: Int64, last: Int64?) {
        var rows: Int64 = 0
        var last: Int64?
        var hasher = SHA256()
        // Rows are hashed 64 KiB at a time: the hasher's per-call cost outweighs small values.
        let capacity = 1 << 16
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var used = 0
        func flush() {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
            used = 0
        }
        while try statement.step() {
            rows += 1
            if firstIsRowid { last = statement.value(at: 0).int }
            statement.forEachRawValue { type, bytes in
                // Storage class and length first, so that no two different rows hash alike.
                if used + 9 + bytes.count > capacity { flush() }
                buffer[used] = UInt8(truncatingIfNeeded: type)
                buffer.storeBytes(of: UInt64(bytes.count).littleEndian, toByteOffset: used + 1, as: UInt64.self)
                used += 9
                if bytes.count > capacity - used {
                    flush()
                    hasher.update(bufferPointer: bytes)
                } else if !bytes.isEmpty {
                    UnsafeMutableRawBufferPointer(rebasing: buffer[used..<(used + bytes.count)]).copyMemory(from: bytes)
                    used += bytes.count
                }
            }
            if used == capacity { flush() }
            buffer[used] = 0xFF
            used += 1
        }
        flush()
        return (hex(hasher.finalize()), rows, last)
    }

    /// Lowercase hexadecimal, two digits a byte.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Rows in rowid order, or (`byValue`, a rowid table and some columns) ordered
    /// by those columns then rowid: the same rows in another fixed order.
    private static func query(_ table: String, columns: [String]?, byValue: Bool, _ db: Connection) throws -> String {
        let quoted = SQLIdentifier.quote(table)
        let list = columns.map { $0.map(SQLIdentifier.quote).joined(separator: ", ") } ?? "*"
        guard try db.hasRowid(table) else { return "SELECT \(list) FROM \(quoted) ORDER BY 1" }
        guard byValue, columns?.isEmpty == false else { return "SELECT rowid, \(list) FROM \(quoted) ORDER BY rowid" }
        return "SELECT rowid, \(list) FROM \(quoted) ORDER BY \(list), rowid"
    }

    /// Whether an index on `columns` gives the `byValue` order without a sort: then
    /// the digest reads that index, a fraction of a wide table's pages.
    static func servedByIndex(_ table: String, columns: [String], on db: Connection) throws -> Bool {
        guard try db.hasRowid(table) else { return false }
        let plan = try db.query("EXPLAIN QUERY PLAN " + query(table, columns: columns, byValue: true, db)).compactMap { $0.last?.string }
        return plan.contains { $0.contains("COVERING INDEX") } && !plan.contains { $0.contains("TEMP B-TREE") }
    }
}
