#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteKit

/// slipway's own tables (names start with `_slipway`): what rollback needs
/// for each applied migration, kept in the database itself so that a rollback
/// works after the file was edited or deleted, and from any machine.
struct RollbackStore {
    let db: Connection

    /// One row per migration in one b-tree (WITHOUT ROWID): recording adds as few
    /// written pages as possible to each migration's transaction.
    static let schema = """
        CREATE TABLE IF NOT EXISTS _slipway_rollback (
          filename TEXT PRIMARY KEY,
          changeset BLOB,            -- session changeset of tables with a primary key
          record TEXT NOT NULL       -- the rest of RollbackRecord, as JSON
        ) WITHOUT ROWID
        """

    /// Creates the table when missing. Call inside a write transaction.
    func prepare() throws {
        if try !exists { try db.execute(Self.schema) }
    }

    var exists: Bool {
        get throws { try db.cached("SELECT 1 FROM sqlite_master WHERE name = '_slipway_rollback'").rows().first != nil }
    }

    /// Writes the record. (`reset` removes a record with its migration's row, so
    /// none is there when a migration is applied; REPLACE covers a database edited by hand.)
    func save(_ record: RollbackRecord, encoder: JSONEncoder = JSONEncoder()) throws {
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        try db.cached("INSERT OR REPLACE INTO _slipway_rollback (filename, changeset, record) VALUES (?, ?, ?)").bind(
            [.text(record.filename), record.changeset.isEmpty ? .null : .blob(record.changeset), .text(json)]).run()
    }

    func load(_ filename: String) throws -> RollbackRecord? {
        guard try exists, let row = try db.query(
            "SELECT changeset, record FROM _slipway_rollback WHERE filename = ?", [.text(filename)]).first,
            let json = row[1].string
        else { return nil }
        var record = try JSONDecoder().decode(RollbackRecord.self, from: Data(json.utf8))
        if case .blob(let bytes) = row[0] { record.changeset = bytes }
        return record
    }

    /// Removes a migration's record and its snapshot tables (after its rollback or reset).
    func delete(_ filename: String, keepingSnapshots keep: Set<String> = []) throws {
        guard try exists, let old = try load(filename) else { return }
        for name in old.snapshots.map(\.snapshot) + old.columnCopies.map(\.copy) where !keep.contains(name) {
            try db.execute("DROP TABLE IF EXISTS \(SQLIdentifier.quote(name))")
        }
        try db.query("DELETE FROM _slipway_rollback WHERE filename = ?", [.text(filename)])
    }
}

/// What rollback needs for one applied migration.
struct RollbackRecord: Codable {
    enum Strategy: String, Codable { case generated, backup, columns }
    struct Snapshot: Codable { var table: String, snapshot: String, hasRowid: Bool }
    /// A digest taken right after the migration: rollback compares it to find changes made since.
    struct Guard: Codable {
        var table: String, column: String?, digest: String
        /// Rollback writes these columns back (rather than dropping columns the migration added).
        var restores: Bool? = nil
    }
    /// `rowid` and some columns of a table, copied before the migration updated them.
    struct ColumnCopy: Codable { var table: String, copy: String, columns: [String] }
    struct Rename: Codable { var from: String, to: String }
    struct Created: Codable { var type: String, name: String }
    struct SequenceRow: Codable { var name: String, seq: Int64? }

    var filename: String
    var strategy: Strategy
    var down: MigrationSource.Section?
    var changeset: [UInt8] = []
    var backupPath: String?
    var written: Set<String> = []
    /// Schema objects the migration changed or dropped, as they were before it.
    var before: [SchemaObject] = []
    /// Schema objects the migration created (rollback drops them).
    var created: [Created] = []
    var snapshots: [Snapshot] = []
    var columnCopies: [ColumnCopy] = []
    /// Tables the migration renamed (by ALTER TABLE … RENAME TO), by their names before and after.
    var renames: [Rename] = []
    var guards: [Guard] = []
    /// `sqlite_sequence` before the migration (AUTOINCREMENT counters).
    var sequence: [SequenceRow] = []

    enum CodingKeys: String, CodingKey {
        case filename, strategy, down, backupPath, written, before, created, snapshots, columnCopies, renames, guards, sequence
    }
}
