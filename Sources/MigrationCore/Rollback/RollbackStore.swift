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
/// transaction no page beyond the tracking row's own.
struct RollbackStore {
    let db: Connection
    let table: TrackingTable

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

    /// Drops a migration's copies of data (after its rollback, or when it is reset).
    /// Call before its tracking row goes: the row says which tables they are.
    func dropCopies(of filename: String) throws {
        guard let record = try load(filename) else { return }
        for name in record.snapshots.map(\.snapshot) + record.columnCopies.map(\.copy) {
            try db.execute("DROP TABLE IF EXISTS \(SQLIdentifier.quote(name))")
        }
    }
}
