import Logging
import SQLiteKit

/// `slipway diff`: the next numbered migration, with an up section that turns the
/// schema the migrations leave (the database's, and its pending files') into a
/// desired schema file's and a down section that turns it back, as `slipway new`
/// would name it.
public struct MigrationDiff: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The database already has the desired schema: no file was written.
        case nothingToDo
        case created(path: String, up: SchemaDiff, down: SchemaDiff)
    }

    public var directory: MigrationDirectory
    public var opener: DatabaseOpener
    public var table: TrackingTable

    public init(directory: MigrationDirectory, opener: DatabaseOpener, table: TrackingTable) {
        self.directory = directory
        self.opener = opener
        self.table = table
    }

    /// Reads `desiredFile` (an error in it is `.invalidSchema` with its line), the
    /// database (a missing one is empty) and its pending files (a failing statement is
    /// `.statementFailed` at its line), works out both directions and writes the file.
    public func write(desiredFile: String, name: String, renames: [SchemaRename]) throws(MigrationError) -> Outcome {
        let (desired, desiredDatabase) = try DatabaseSchema.loadKeepingDatabase(file: desiredFile, excluding: table.name)
        _ = try MigrationTemplate.slug(name)  // a bad name fails before any work
        let files = try directory.load()
        let current = try currentSchema(files)
        // Equal dumps are equal schemas: the differ would find nothing to do.
        guard current.dump != desired.dump else { return .nothingToDo }
        let up: SchemaDiff, down: SchemaDiff
        if renames.isEmpty {
            // Down first: its scratch starts as a copy of the desired file's database (when that holds
            // the schema alone) and ends holding the current schema, with no rows: where up's starts.
            let (reverse, reached) = try SchemaDiff.working(from: desired, to: current, renames: [], currentDatabase: desiredDatabase)
            (up, down) = (try SchemaDiff(from: current, to: desired, currentDatabase: reached), reverse)
        } else {
            // Up first, so that a hint that names nothing fails in the user's terms.
            up = try SchemaDiff(from: current, to: desired, renames: renames)
            down = try SchemaDiff(from: desired, to: current, renames: renames.map(Self.inverse), currentDatabase: desiredDatabase)
        }
        guard !up.isEmpty else { return .nothingToDo }
        let path = try MigrationTemplate(directory: directory).create(name: name, contents: Self.contents(up, down, from: desiredFile))
        return .created(path: path, up: up, down: down)
    }

    /// The schema the migrations leave: the database's (none: empty), with the pending
    /// files run on a schema-only in-memory copy when there are any, so that the new
    /// file, which sorts after them, starts where they end.
    private func currentSchema(_ files: [MigrationFile]) throws(MigrationError) -> DatabaseSchema {
        let db = try opener.openForReading()
        var rows: [AppliedMigration] = []
        if let db { rows = try opener.run("reading \(table.name)") { try table.rows(on: db) } }
        let pending = try Inventory(files: files, rows: rows).pending.map { file throws(MigrationError) in try ParsedMigration(file) }
        if pending.isEmpty {
            guard let db else { return DatabaseSchema() }
            return try opener.run("reading the schema") { try DatabaseSchema.read(db, excluding: table.name) }
        }
        var options = MigrateOptions()
        options.table = table
        let migrator = Migrator(directory: directory, database: opener, options: options, logger: Logger(label: "slipway.diff"), events: { _ in })
        let (copy, problem) = try migrator.schemaCopy(of: db)
        if let problem { throw .sqlite(SQLiteError(code: 1, message: problem), while: "copying the schema to run the pending migrations on") }
        try migrator.run(pending, onCopy: copy)
        return try opener.run("reading the schema the pending migrations leave") { try DatabaseSchema.read(copy, excluding: table.name) }
    }

    static func inverse(_ rename: SchemaRename) -> SchemaRename {
        guard let table = rename.table else { return SchemaRename(old: rename.new, new: rename.old) }
        return SchemaRename(table: table, old: rename.new, new: rename.old)
    }

    /// The file's text. When the up section drops or rebuilds, the down section is
    /// left empty, so that rollback uses slipway's recorded reverse, which restores
    /// the rows too; the schema-only statements follow as comments.
    static func contents(_ up: SchemaDiff, _ down: SchemaDiff, from desiredFile: String) -> String {
        var text = "-- migrate:up\n-- Written by `slipway diff --to \(desiredFile)`: turns the schema into that file's.\n"
        if up.losesData {
            text += "-- Foreign keys are not enforced while a migration runs: a DROP or a rebuild deletes no child row through ON DELETE CASCADE.\n"
        }
        text += up.notes.map { "-- " + $0 + "\n" }.joined()
        text += up.statements.map { $0 + ";\n" }.joined()
        text += "\n-- migrate:down\n"
        if up.losesData {
            text += "-- Empty on purpose: slipway records how to undo the up section when it runs it, rows included.\n"
            text += "-- These statements would restore the schema only:\n"
            text += down.statements.map { ($0 + ";").split(separator: "\n", omittingEmptySubsequences: false).map { "-- " + $0 }.joined(separator: "\n") + "\n" }.joined()
        } else {
            text += down.statements.map { $0 + ";\n" }.joined()
        }
        return text
    }
}
