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
            for value in statement.currentRow() { feed(value, into: &hasher) }
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

    private static func feed(_ value: SQLiteValue, into hasher: inout SHA256) {
        switch value {
        case .null: hasher.update(data: [0])
        case .integer(let v): hasher.update(data: [1] + withUnsafeBytes(of: v.littleEndian, Array.init))
        case .real(let v): hasher.update(data: [2] + withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init))
        case .text(let v):
            hasher.update(data: [3] + withUnsafeBytes(of: UInt64(v.utf8.count).littleEndian, Array.init))
            hasher.update(data: Array(v.utf8))
        case .blob(let v):
            hasher.update(data: [4] + withUnsafeBytes(of: UInt64(v.count).littleEndian, Array.init))
            hasher.update(data: v)
        }
    }
}
