import SQLiteKit

/// The statements that turn the current schema into the desired one, as `diff`
/// writes them into a migration (like Atlas's `migrate diff` or sqldef).
///
/// Tables are created and dropped, columns added and dropped in place when
/// SQLite allows it and the result is exactly the desired table, and any other
/// table change is a rebuild that keeps the rows. The statements are proven on
/// a scratch database: the result must dump exactly like the desired schema.
public struct SchemaDiff: Sendable, Equatable {
    public var statements: [String]
    /// Advice for the reader (how to turn a drop and an add into a rename).
    public var notes: [String]
    /// Whether the statements drop or rebuild a table or drop a column: their reverse
    /// restores the schema but not the data (slipway's recorded reverse restores both).
    public var losesData: Bool

    public var isEmpty: Bool { statements.isEmpty }

    /// Throws `.sqlite` when a statement fails on the scratch database (a rename hint
    /// that names nothing), `.schemaMismatch` when the result misses the desired schema.
    ///
    /// `currentDatabase`, when given, holds `current` and nothing else: the scratch database
    /// starts as a copy of it rather than by running `current`'s dump.
    public init(from current: DatabaseSchema, to desired: DatabaseSchema, renames: [SchemaRename] = [],
                currentDatabase: Connection? = nil) throws(MigrationError) {
        self = try Self.working(from: current, to: desired, renames: renames, currentDatabase: currentDatabase).diff
    }

    private init(_ differ: SchemaDiffer) {
        statements = differ.statements
        notes = differ.notes
        losesData = differ.losesData
    }

    /// The diff and the scratch database it ended on, which then holds `desired`'s
    /// schema (its dump was checked) and no rows: where the opposite direction can start.
    static func working(from current: DatabaseSchema, to desired: DatabaseSchema, renames: [SchemaRename],
                        currentDatabase: Connection?) throws(MigrationError) -> (diff: SchemaDiff, reached: Connection) {
        do {
            let differ = try SchemaDiffer(current: current, desired: desired, copying: currentDatabase)
            try differ.diff(renames: renames)
            let reached = try differ.now(.definitions).dump
            if reached != desired.dump {
                throw MigrationError.schemaMismatch(Self.firstDifference(reached, desired.dump))
            }
            return (SchemaDiff(differ), differ.scratch)
        } catch let error as MigrationError {
            throw error
        } catch let error as SQLiteError {
            throw .sqlite(error, while: "working out the migration")
        } catch {
            throw .sqlite(SQLiteError(code: 1, message: "\(error)"), while: "working out the migration")
        }
    }

    static func firstDifference(_ reached: String, _ wanted: String) -> String {
        let a = reached.split(separator: "\n", omittingEmptySubsequences: false)
        let b = wanted.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) where i >= a.count || i >= b.count || a[i] != b[i] {
            return "line \(i + 1) of the dump: got '\(i < a.count ? a[i] : "")', wanted '\(i < b.count ? b[i] : "")'"
        }
        return "the dumps differ"
    }
}
