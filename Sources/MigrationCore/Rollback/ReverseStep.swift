/// One step of a generated reverse migration. Plans are data: `--dry-run`
/// prints them, the tests compare them, `Rollbacker` runs them.
public enum ReverseStep: Sendable, Equatable, CustomStringConvertible {
    case sql(String)
    /// Rebuild a table to this definition unless it already has it: ADD COLUMN,
    /// RENAME COLUMN and renames back change a table's text without losing rows.
    case rebuild(SchemaObject)
    /// An index, view or trigger of the target schema, created unless it already exists.
    case createIfMissing(SchemaObject)
    /// The inverse of the migration's changeset, for these tables (rows of tables with a primary key).
    case invertChangeset(tables: [String])
    /// Delete the rows the migration inserted into a table it did nothing else to
    /// (rowids after `after`, nil: all, up to `through`), once their digest matches.
    case deleteInserted(table: String, after: Int64?, through: Int64, rows: Int64, digest: String)
    /// Replace the table's rows with the copy taken before the migration.
    case restoreFromSnapshot(table: String, snapshot: String, hasRowid: Bool)
    /// Write back columns copied before the migration updated them, row by rowid.
    case restoreColumns(table: String, copy: String, columns: [String])
    /// Replace the table's rows with those of the pre-migration backup.
    case restoreFromBackup(table: String, path: String)
    /// Put the AUTOINCREMENT counters the migration moved back as they were (nil: remove the row).
    case restoreSequence([SequenceRow])
    /// The file's `-- migrate:down` section, as recorded when it was applied.
    case downSection(String)

    public struct SequenceRow: Sendable, Equatable {
        public var name: String
        public var seq: Int64?
    }

    public var description: String {
        switch self {
        case .sql(let sql): sql + ";"
        case .createIfMissing(let o): (o.sql ?? "") + ";"
        case .rebuild(let o): "-- rebuild \(o.name) to its definition before the migration, rows and rowids kept:\n" + (o.sql ?? "") + ";"
        case .invertChangeset(let tables): "-- undo the migration's row changes (inverse changeset) in: \(tables.joined(separator: ", "))"
        case .deleteInserted(let table, let after, let through, let rows, _):
            "-- delete the \(rows) row\(rows == 1 ? "" : "s") the migration inserted into \(table) (rowid \(after.map { String($0 + 1) } ?? "min")…\(through))"
        case .restoreFromSnapshot(let table, let snapshot, _): "-- restore every row of \(table) from its copy \(snapshot)"
        case .restoreFromBackup(let table, let path): "-- restore every row of \(table) from \(path)"
        case .restoreColumns(let table, let copy, let columns):
            "-- write back \(table).\(columns.joined(separator: ", ")) as before the migration, from \(copy)"
        case .restoreSequence: "-- put AUTOINCREMENT counters (sqlite_sequence) back as they were before the migration"
        case .downSection(let sql): "-- the down section:\n" + sql
        }
    }
}

/// Something rollback cannot put back as it was, found before anything runs.
public struct DataLossFinding: Sendable, Equatable, Codable, CustomStringConvertible {
    public var filename: String
    public var table: String
    public var detail: String
    /// Set when one rollback covers several databases: the one this is about.
    public var database: String?

    /// The table, after its database when there are several.
    public var place: String { database.map { "\($0): \(table)" } ?? table }

    public var description: String { "\(filename): \(place): \(detail)" }
}
