/// `slipway diff`: the next numbered migration, with an up section that turns the
/// database's schema into a desired schema file's and a down section that turns
/// it back, as `slipway new` would name it.
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
    /// database (a missing one is empty), works out both directions and writes the file.
    public func write(desiredFile: String, name: String, renames: [SchemaRename]) throws(MigrationError) -> Outcome {
        let desired = try DatabaseSchema.load(file: desiredFile, excluding: table.name)
        _ = try MigrationTemplate.slug(name)  // a bad name fails before any work
        let files = try directory.load()
        var current = DatabaseSchema()
        if let db = try opener.openForReading() {
            let rows = try opener.run("reading \(table.name)") { try table.rows(on: db) }
            let pending = Inventory(files: files, rows: rows).pending.map(\.filename)
            if !pending.isEmpty { throw .pendingMigrations(pending) }
            current = try opener.run("reading the schema") { try DatabaseSchema.read(db, excluding: table.name) }
        } else if !files.isEmpty {
            throw .pendingMigrations(files.map(\.filename))
        }
        let up = try SchemaDiff(from: current, to: desired, renames: renames)
        guard !up.isEmpty else { return .nothingToDo }
        let down = try SchemaDiff(from: desired, to: current, renames: renames.map(Self.inverse))
        let path = try MigrationTemplate(directory: directory).create(name: name, contents: Self.contents(up, down, from: desiredFile))
        return .created(path: path, up: up, down: down)
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
