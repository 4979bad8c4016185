#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteKit

/// What rollback needs for each applied migration, kept in the database so
/// that a rollback works after the file was edited or deleted, and from any
/// machine: two columns of the migration's own tracking row (the JSON record
/// and the session changeset), plus `_slipway_snap_*` / `_slipway_cols_*`
/// copies of data. Written with the row and deleted with it, the record can
/// never describe a migration that is not applied; and it costs a migration's
/// transaction no page beyond the tracking row's own. `RollbackRetention`
/// drops the data of old migrations, leaving a pruned marker as their record.
struct RollbackStore {
    let db: Connection
    let table: TrackingTable

    /// The encoder of records: sorted keys, so that the same migration of the same database
    /// stores the same bytes (JSONEncoder's own key order differs from run to run).
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    /// The columns' values for a record, to insert with its tracking row.
    static func values(of record: RollbackRecord, encoder: JSONEncoder) throws -> TrackingTable.Rollback {
        // Most migrations only change rows: their record is empty, and the encoder is not needed.
        .init(record: record.isPlain ? "{}" : String(decoding: try encoder.encode(record), as: UTF8.self), changeset: record.changeset)
    }

    /// The record of an applied migration; nil when none was kept (an adopted
    /// row, `transaction: false`, `--no-record`, or a table slipway never upgraded).
    func load(_ filename: String) throws -> RollbackRecord? {
        guard try table.columns(on: db)?.contains(TrackingTable.rollbackRecordColumn) == true,
              let row = try db.query(
                "SELECT rollback_record, rollback_changeset FROM \(table.quoted) WHERE filename = ?", [.text(filename)]).first,
              let json = row[0].string
        else { return nil }
        var record = try JSONDecoder().decode(RollbackRecord.self, from: Data(json.utf8))
        record.filename = filename
        if case .blob(let bytes) = row[1] { record.changeset = bytes }
        return record
    }

    /// Every kept record, oldest first, with the bytes its two columns take;
    /// empty when the table does not exist or slipway never upgraded it.
    /// `prunable`: only those a prune keeping the newest `keep` rows would drop — older
    /// rows not pruned yet, chosen by SQLite (its JSON functions read the marker), so a
    /// migrate run does not decode the whole history's records to find none.
    func records(prunable keep: Int? = nil) throws -> [(record: RollbackRecord, storedBytes: Int64)] {
        guard try table.columns(on: db)?.contains(TrackingTable.rollbackRecordColumn) == true else { return [] }
        let older = keep.map { """
             AND id NOT IN (SELECT id FROM \(table.quoted) ORDER BY id DESC LIMIT \($0))
             AND json_extract(rollback_record, '$.pruned') IS NULL
            """ } ?? ""
        let rows = try db.query("""
            SELECT filename, rollback_record, length(CAST(rollback_record AS BLOB)) + coalesce(length(rollback_changeset), 0)
            FROM \(table.quoted) WHERE rollback_record IS NOT NULL\(older) ORDER BY id
            """)
        return try rows.map { row in
            var record = try JSONDecoder().decode(RollbackRecord.self, from: Data((row[1].string ?? "{}").utf8))
            record.filename = row[0].string ?? ""
            return (record, row[2].int ?? 0)
        }
    }

    /// Replaces a record by its pruned marker and drops its changeset and copies
    /// (the backup file, outside the database, is the caller's to remove after commit).
    func prune(_ record: RollbackRecord, keep: Int, encoder: JSONEncoder) throws {
        try dropCopies(of: record)
        let marker = String(decoding: try encoder.encode(record.prunedCopy(keep: keep)), as: UTF8.self)
        try db.query("UPDATE \(table.quoted) SET rollback_record = ?, rollback_changeset = NULL WHERE filename = ?",
                     [.text(marker), .text(record.filename)])
    }

    /// Puts `down` (the file's down section now; nil for none) in place of the one recorded
    /// when the migration was applied, which is what rollback runs: `repair` accepting a
    /// fixed down section. False when nothing is recorded or it is the same.
    func replaceDown(of filename: String, with down: MigrationSource.Section?, encoder: JSONEncoder) throws -> Bool {
        guard var record = try load(filename), record.down != down else { return false }
        record.down = down
        let values = try Self.values(of: record, encoder: encoder)
        try db.query("UPDATE \(table.quoted) SET rollback_record = ? WHERE filename = ?", [.text(values.record), .text(filename)])
        return true
    }

    /// Bytes a record's data takes: its copy tables, its two columns, its backup file.
    func bytes(of record: RollbackRecord, storedBytes: Int64) throws -> Int64 {
        var total = storedBytes
        for name in record.snapshots.map(\.snapshot) + record.columnCopies.map(\.copy) { total += try tableBytes(name) }
        if let path = record.backupPath { total += FileSystem.size(path) }
        return total
    }

    /// A table's pages, from the `dbstat` virtual table (https://sqlite.org/dbstat.html);
    /// where SQLite was built without it, the length of its values (its pages hold a little more).
    func tableBytes(_ name: String) throws -> Int64 {
        guard try db.hasTable(name) else { return 0 }
        if let pages = try? db.scalar("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?", [.text(name)]) {
            return pages.int ?? 0
        }
        return try valueBytes(name)
    }

    /// The total length of a table's values, each as stored text or blob.
    func valueBytes(_ name: String) throws -> Int64 {
        let columns = try db.columnNames(of: name)
        let lengths = columns.map { "coalesce(length(CAST(\(SQLIdentifier.quote($0)) AS BLOB)), 0)" }.joined(separator: " + ")
        return try db.scalar("SELECT coalesce(sum(\(lengths.isEmpty ? "0" : lengths)), 0) FROM \(SQLIdentifier.quote(name))")?.int ?? 0
    }

    /// Drops a migration's copies of data (after its rollback, or when it is reset).
    /// Call before its tracking row goes: the row says which tables they are.
    func dropCopies(of filename: String) throws {
        guard let record = try load(filename) else { return }
        try dropCopies(of: record)
    }

    /// The same, for a record already read.
    func dropCopies(of record: RollbackRecord) throws {
        for name in record.snapshots.map(\.snapshot) + record.columnCopies.map(\.copy) {
            try db.execute("DROP TABLE IF EXISTS \(SQLIdentifier.quote(name))")
        }
    }
}
