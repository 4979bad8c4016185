import Foundation
import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("MigrationDiff: the migration file diff writes")
struct MigrationDiffTests {
    func project(_ sql: String) throws -> TempProject {
        let p = TempProject()
        p.write("001_start.sql", sql)
        try #require(p.migrate().error == nil)
        return p
    }

    func migrationFiles(_ p: TempProject) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: p.migrations).sorted()
    }

    @Test("the same schema in another layout: nothing to do, no file")
    func nothingToDo() throws {
        let p = try project("CREATE TABLE t (a INTEGER, b TEXT); CREATE INDEX t_a ON t (a);")
        #expect(try p.diff(to: "create table t(\n  a INTEGER, -- the key\n  b TEXT\n);\nCREATE INDEX t_a ON t(a);") == .nothingToDo)
        #expect(try migrationFiles(p) == ["001_start.sql"])
    }

    @Test("an error in the desired schema names its file, line and column; nothing is written")
    func syntaxError() throws {
        let p = try project("CREATE TABLE t (a);")
        do {
            _ = try p.diff(to: "CREATE TABLE t (a);\n\nCREATE TABLE u (b TEXT,, c);\n")
            Issue.record("no error")
        } catch {
            guard case .invalidSchema(let at, let message) = error else { Issue.record("\(error)"); return }
            #expect(at == SourceLocation(file: p.schemaFile, line: 3, column: 24))
            #expect(message.contains("syntax error"))
            #expect(error.isInvalidInput)
        }
        #expect(throws: MigrationError.self) { try p.diff(to: "CREATE TABLE t (a);\nCREATE VIEW v AS SELECT nope FROM t;") }
        #expect(try migrationFiles(p) == ["001_start.sql"])
    }

    @Test("pending migrations count: the new file starts where they leave the schema, and applies after them")
    func pending() throws {
        let p = try project("CREATE TABLE t (a);")
        p.write("002_more.sql", "CREATE TABLE u (b);\nALTER TABLE t ADD COLUMN c;")
        let before = try FullState(p.database)
        guard case .created(let path, let up, _) = try p.diff(to: "CREATE TABLE t (a, c, d);\nCREATE TABLE u (b);") else {
            Issue.record("no file")
            return
        }
        #expect(path.hasSuffix("/003_change.sql"))
        #expect(up.statements == ["ALTER TABLE t ADD COLUMN d"])
        #expect(try FullState(p.database) == before)  // the pending file ran on a copy only
        #expect(p.migrate().error == nil)
        #expect(try p.diff(to: "CREATE TABLE t (a, c, d);\nCREATE TABLE u (b);") == .nothingToDo)
    }

    @Test("no database yet: every file is pending and runs on the copy")
    func noDatabaseYet() throws {
        let p = TempProject()
        p.write("001_start.sql", "CREATE TABLE t (a);")
        #expect(try p.diff(to: "CREATE TABLE t (a);") == .nothingToDo)
        #expect(!FileManager.default.fileExists(atPath: p.database))
    }

    @Test("a pending file that fails names its line; nothing is written")
    func pendingFails() throws {
        let p = try project("CREATE TABLE t (a);")
        p.write("002_bad.sql", "CREATE TABLE u (b);\nALTER TABLE nope ADD COLUMN c;")
        do {
            _ = try p.diff(to: "CREATE TABLE t (a, c);")
            Issue.record("no error")
        } catch {
            guard case .statementFailed(let failure) = error else { Issue.record("\(error)"); return }
            #expect(failure.location.file.hasSuffix("002_bad.sql") && failure.location.line == 2)
        }
        #expect(try migrationFiles(p) == ["001_start.sql", "002_bad.sql"])
    }

    @Test("an additive change gets a written down section; a lossy one leaves it to the recorded reverse")
    func downSections() throws {
        let p = try project("CREATE TABLE t (a);")
        guard case .created(let path, let up, let down) = try p.diff(to: "CREATE TABLE t (a, b TEXT DEFAULT 'x');") else { Issue.record("no file"); return }
        #expect(path.hasSuffix("/002_change.sql"))
        #expect(up.statements == ["ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'"] && !up.losesData)
        #expect(down.statements == ["ALTER TABLE t DROP COLUMN b"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("-- migrate:down\nALTER TABLE t DROP COLUMN b;\n"))
        #expect(p.migrate().error == nil)

        guard case .created(let lossy, let dropUp, _) = try p.diff(to: "CREATE TABLE t (a);") else { Issue.record("no file"); return }
        #expect(dropUp.losesData)
        let source = try MigrationSource(parsing: String(contentsOfFile: lossy, encoding: .utf8), file: "003_change.sql")
        #expect(source.down == nil, "a down section of comments only: slipway generates the reverse")
    }

    @Test("a dropped and an added table or column come with a note on --rename")
    func renameNotes() throws {
        let p = try project("CREATE TABLE old (a, b);")
        guard case .created(_, let up, _) = try p.diff(to: "CREATE TABLE new (a, b);") else { Issue.record("no file"); return }
        #expect(up.notes == ["If old was renamed to new, run diff again with --rename old:new (ALTER TABLE … RENAME TO keeps its rows; DROP TABLE does not)."])
        let q = try project("CREATE TABLE t (a, b);")
        guard case .created(_, let columns, _) = try q.diff(to: "CREATE TABLE t (a, c);") else { Issue.record("no file"); return }
        #expect(columns.notes.first?.contains("--rename t.b:c") == true)
    }

    @Test("--rename hints parse as tables or columns, and nonsense does not")
    func renameParsing() {
        #expect(SchemaRename(parsing: "a:b") == SchemaRename(old: "a", new: "b"))
        #expect(SchemaRename(parsing: "t.a:b") == SchemaRename(table: "t", old: "a", new: "b"))
        #expect(SchemaRename(parsing: "t.a:t.b") == SchemaRename(table: "t", old: "a", new: "b"))
        for bad in ["a", "a:", ":b", "t.a:u.b", "a:b:c", "t.:b"] { #expect(SchemaRename(parsing: bad) == nil, "\(bad)") }
    }

    @Test("the down section starts from a copy of the desired file's database only when it holds the schema alone")
    func downScratch() throws {
        let p = try project("CREATE TABLE t (a INTEGER);")
        let schema = "CREATE TABLE t (a INTEGER, b TEXT NOT NULL DEFAULT '');\nCREATE INDEX t_b ON t (b);\n"
        let variants = [schema, schema + "INSERT INTO t (a) VALUES (1);\n", schema + "CREATE TABLE _migrations (id INTEGER);\n"]
        var files: [String] = []
        for (i, text) in variants.enumerated() {
            let file = p.root + "/schema\(i).sql"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let loaded = try DatabaseSchema.loadKeepingDatabase(file: file, excluding: "_migrations")
            #expect((loaded.database != nil) == (i == 0), "variant \(i)")
            guard case .created(let path, _, _) = try MigrationDiff(directory: MigrationDirectory(path: p.migrations),
                opener: DatabaseOpener(path: p.database), table: TrackingTable()).write(desiredFile: file, name: "v\(i)", renames: []) else {
                Issue.record("nothing to do for variant \(i)"); continue
            }
            files.append(try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: file, with: "F"))
            try FileManager.default.removeItem(atPath: path)
        }
        #expect(Set(files).count == 1, "the copy and the dump give one migration: \(files)")
        #expect(files.first?.contains("DROP INDEX t_b;\nALTER TABLE t DROP COLUMN b;") == true, "\(files.first ?? "")")
    }
}
