import Crypto
import SQLiteKit

/// A SHA-256 over a table's rows (or some of its columns), values with their
/// storage class, in rowid order. Rollback compares the digest it recorded
/// after a migration with the one it finds, to say what changed since;
/// rehearsal compares a copy with the original.
enum TableDigest {
    /// The digest of a table without rows.
    static let empty = SHA256().finalize().map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()

    static func of(_ table: String, columns: [String]? = nil, on db: Connection) throws -> String {
        let quoted = SQLIdentifier.quote(table)
        let list = columns.map { $0.map(SQLIdentifier.quote).joined(separator: ", ") } ?? "*"
        let sql = try hasRowid(table, db)
            ? "SELECT rowid, \(list) FROM \(quoted) ORDER BY rowid"
            : "SELECT \(list) FROM \(quoted) ORDER BY 1"
        let statement = try db.prepare(sql)
        var hasher = SHA256()
        while try statement.step() {
            statement.forEachRawValue { type, bytes in
                // Storage class and length first, so that no two different rows hash alike.
                var kind = UInt8(truncatingIfNeeded: type)
                var length = UInt64(bytes.count).littleEndian
                withUnsafeBytes(of: &kind) { hasher.update(bufferPointer: $0) }
                withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
                hasher.update(bufferPointer: bytes)
            }
            hasher.update(data: [0xFF])
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static func hasRowid(_ table: String, _ db: Connection) throws -> Bool {
        try db.cached("SELECT wr FROM pragma_table_list(?)").bind([.text(table)]).rows().first?.first?.int != 1
    }
}
