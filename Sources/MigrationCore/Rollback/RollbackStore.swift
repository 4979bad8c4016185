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

    /// A rowid table appended to at its right end: one leaf page written per
    /// migration (SQLite's quick balance), and records up to ~4 KB held in the
    /// leaf. No index on `filename`: it would add a page to every migration's
    /// transaction, while lookups happen only at rollback and reset, where a
    /// scan of a few thousand rows costs nothing. `filename` comes first so a
    /// scan reads it without touching the rest of a row.
    static let schema = """
        CREATE TABLE IF NOT EXISTS _slipway_rollback (
          filename TEXT NOT NULL,
          record TEXT NOT NULL,      -- RollbackRecord without its changeset, as JSON
          changeset BLOB             -- session changeset of tables with a primary key
        )
        """

    /// Creates the table when missing. Call inside a write transaction.
    func prepare() throws {
        if try !exists { try db.execute(Self.schema) }
    }

    var exists: Bool {
        get throws { try db.cached("SELECT 1 FROM sqlite_master WHERE name = '_slipway_rollback'").rows().first != nil }
    }

    /// Writes the record. No record is there for a migration being applied
    /// (`reset` and rollback remove it with its tracking row); one left by a
    /// database edited by hand is shadowed, since `load` takes the newest.
    func save(_ record: RollbackRecord, encoder: JSONEncoder = JSONEncoder()) throws {
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        try db.cached("INSERT INTO _slipway_rollback (filename, record, changeset) VALUES (?, ?, ?)").bind(
            [.text(record.filename), .text(json), record.changeset.isEmpty ? .null : .blob(record.changeset)]).run()
    }

    func load(_ filename: String) throws -> RollbackRecord? {
        guard try exists, let row = try db.query(
            "SELECT changeset, record FROM _slipway_rollback WHERE filename = ? ORDER BY rowid DESC LIMIT 1",
            [.text(filename)]).first,
            let json = row[1].string
        else { return nil }
        var record = try JSONDecoder().decode(RollbackRecord.self, from: Data(json.utf8))
        if case .blob(let bytes) = row[0] { record.changeset = bytes }
        return record
    }

    /// Removes a migration's record(s) and its snapshot tables (after its rollback or reset).
    func delete(_ filename: String, keepingSnapshots keep: Set<String> = []) throws {
        guard try exists, let old = try load(filename) else { return }
        for name in old.snapshots.map(\.snapshot) + old.columnCopies.map(\.copy) where !keep.contains(name) {
            try db.execute("DROP TABLE IF EXISTS \(SQLIdentifier.quote(name))")
        }
        try db.query("DELETE FROM _slipway_rollback WHERE filename = ?", [.text(filename)])
    }
}
