import Foundation
import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("lint: each rule fires on its trap and stays quiet on safe work")
struct LinterTests {
    static let setup = """
        CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id) ON DELETE CASCADE, name TEXT);
        CREATE TABLE empty (a);
        INSERT INTO parents VALUES (1, 'p'), (2, 'p');
        INSERT INTO kids VALUES (1, 1, 'k');
        """

    /// Lints `pending` (one file per element) over the set-up database; the database must not change.
    func lint(_ pending: [String]) throws -> [LintFinding] {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        try #require(p.migrate().error == nil)
        for (i, sql) in pending.enumerated() { p.write(String(format: "%03d_next.sql", i + 2), sql) }
        let before = try Data(contentsOf: URL(fileURLWithPath: p.database))
        let (findings, count) = try Linter(directory: MigrationDirectory(path: p.migrations), database: DatabaseOpener(path: p.database)).run()
        #expect(count == pending.count)
        #expect(try Data(contentsOf: URL(fileURLWithPath: p.database)) == before, "lint never writes the database")
        return findings
    }

    func codes(_ pending: String...) throws -> [LintFinding.Code] { try lint(pending).map(\.code) }

    @Test("DROP TABLE: fires on a table with real rows, not on one the pending migrations made")
    func dropTable() throws {
        let found = try lint(["-- the end of parents\n\nDROP TABLE kids;"])
        #expect(found.map(\.code) == [.dropTable])
        #expect(found.first?.location.line == 3 && found.first?.location.column == 1)
        #expect(found.first?.message == "drops kids with its 1 row")
        #expect(try codes("CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1); DROP TABLE scratch;") == [])
    }

    @Test("DROP COLUMN fires; ADD COLUMN with a default does not")
    func dropColumn() throws {
        #expect(try codes("ALTER TABLE parents DROP COLUMN name;") == [.dropColumn])
        #expect(try codes("ALTER TABLE parents ADD COLUMN born INTEGER NOT NULL DEFAULT 0;") == [])
    }

    @Test("a rebuild is one finding at its DROP, not a drop")
    func rebuild() throws {
        let found = try lint(["""
            CREATE TABLE parents_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
            INSERT INTO parents_new SELECT id, coalesce(name, '') FROM parents;
            DROP TABLE parents;
            ALTER TABLE parents_new RENAME TO parents;
            """])
        #expect(found.map(\.code) == [.tableRebuild])
        #expect(found.first?.location.line == 3)
    }

    @Test("DELETE or DROP on a parent whose children cascade; not on a parent without such children")
    func cascade() throws {
        #expect(try codes("DELETE FROM kids WHERE parent = 1; DELETE FROM parents WHERE id = 1;") == [])
        #expect(try codes("DELETE FROM parents WHERE id = 2;") == [.cascade])
        #expect(try codes("DELETE FROM kids;") == [])
        // The kids stay, pointing at a table that is gone: migrate's foreign_key_check would refuse it.
        #expect(try codes("DROP TABLE parents;") == [.cascade, .dropTable, .foreignKeys])
    }

    @Test("ADD COLUMN NOT NULL without a default: on an empty table a warning, on one with rows a failure")
    func notNull() throws {
        #expect(try codes("ALTER TABLE empty ADD COLUMN b TEXT NOT NULL;") == [.notNullWithoutDefault])
        #expect(try codes("ALTER TABLE parents ADD COLUMN b TEXT NOT NULL;") == [.fails])
        #expect(try codes("ALTER TABLE empty ADD COLUMN b TEXT NOT NULL DEFAULT 'x';") == [])
    }

    @Test("a UNIQUE index over duplicated values; not over distinct ones")
    func unique() throws {
        let found = try lint(["CREATE INDEX ok ON parents (id);\nCREATE UNIQUE INDEX names ON parents (name);"])
        #expect(found.map(\.code) == [.uniqueOverDuplicates] && found.first?.location.line == 2)
        #expect(found.first?.code.isError == true)
        #expect(try codes("CREATE UNIQUE INDEX ids ON parents (id);") == [])
    }

    @Test("PRAGMA foreign_keys and journal_mode inside a transaction; fine outside one, reading them is fine")
    func pragmas() throws {
        #expect(try codes("PRAGMA foreign_keys = ON;") == [.pragmaInTransaction])
        #expect(try codes("PRAGMA journal_mode = WAL;") == [.pragmaInTransaction])
        #expect(try codes("PRAGMA foreign_keys;") == [])
        #expect(try codes("-- migrate:up transaction:false\nPRAGMA journal_mode = WAL;\n-- migrate:down\nPRAGMA journal_mode = DELETE;") == [])
    }

    @Test("outside a transaction without a down section: not restorable; VACUUM is fine")
    func notRestorable() throws {
        #expect(try codes("-- migrate:up transaction:false\nUPDATE parents SET name = 'x';") == [.notRestorable])
        #expect(try codes("-- migrate:up transaction:false\nVACUUM;") == [])
        #expect(try codes("-- migrate:up transaction:false\nUPDATE parents SET name = 'x';\n-- migrate:down\nUPDATE parents SET name = 'p';") == [])
    }

    @Test("a statement that cannot succeed stops the lint there, with its place")
    func fails() throws {
        let found = try lint(["CREATE TABLE a (x);", "INSERT INTO a VALUES (1);\nINSERT INTO missing VALUES (2);", "DROP TABLE kids;"])
        #expect(found.map(\.code) == [.fails])
        #expect(found.first?.location.file.hasSuffix("003_next.sql") == true && found.first?.location.line == 2)
    }

    @Test("rows left breaking a foreign key: migrate would roll the migration back")
    func foreignKeys() throws {
        #expect(try codes("INSERT INTO kids VALUES (9, 99, 'orphan');") == [.foreignKeys])
        #expect(try codes("INSERT INTO kids VALUES (9, 2, 'fine');") == [])
    }

    @Test("later migrations are linted on what the earlier ones leave")
    func inOrder() throws {
        #expect(try codes("CREATE TABLE t (x); INSERT INTO t VALUES (1), (1);", "CREATE UNIQUE INDEX tx ON t (x);") == [.uniqueOverDuplicates])
    }

    @Test("a down section that does not give back what the up removed, or that fails; not one that undoes it")
    func downSection() throws {
        func migration(_ up: String, _ down: String) -> String { "-- migrate:up\n\(up)\n-- migrate:down\n\(down)\n" }
        // Undone exactly: rows deleted again, a column dropped again, a table rebuilt back (rowids may move: values count).
        #expect(try codes(migration("INSERT INTO parents VALUES (3, 'q');", "DELETE FROM parents WHERE id = 3;")) == [])
        #expect(try codes(migration("ALTER TABLE parents ADD COLUMN born INTEGER;", "ALTER TABLE parents DROP COLUMN born;")) == [])
        #expect(try codes(migration("""
            CREATE TABLE e2 (a NOT NULL DEFAULT 0); INSERT INTO e2 SELECT coalesce(a, 0) FROM empty;
            DROP TABLE empty; ALTER TABLE e2 RENAME TO empty;
            """, """
            CREATE TABLE e2 (a); INSERT INTO e2 SELECT a FROM empty; DROP TABLE empty; ALTER TABLE e2 RENAME TO empty;
            """)) == [.tableRebuild])

        // The column comes back empty: its values are lost, found at the statement that dropped them.
        let dropped = try lint([migration("ALTER TABLE parents DROP COLUMN name;", "ALTER TABLE parents ADD COLUMN name TEXT;")])
        #expect(dropped.map(\.code) == [.dropColumn, .rollbackLosesData])
        #expect(dropped.last?.location.line == 2)
        #expect(dropped.last?.message.hasPrefix("after this and the down section, the rows of parents are not what they were") == true)
        // A data fix that the down does not undo; an UPDATE through a trigger counts as the up's write.
        #expect(try codes(migration("UPDATE parents SET name = 'x';", "SELECT 1;")) == [.rollbackLosesData])
        #expect(try codes(migration("""
            CREATE TABLE log (n); CREATE TRIGGER t AFTER INSERT ON log BEGIN UPDATE parents SET name = 'y'; END;
            INSERT INTO log VALUES (1);
            """, "DROP TABLE log;")) == [.rollbackLosesData])
        // The table comes back empty; one the up made stays behind.
        #expect(try codes(migration("DROP TABLE kids;", "CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER, name TEXT);"))
            == [.dropTable, .rollbackLosesData])
        let left = try lint([migration("CREATE TABLE fresh (x);", "SELECT 1;")])
        #expect(left.map(\.code) == [.rollbackLosesData])
        #expect(left.first?.location.line == 4)
        #expect(left.first?.message == "after the up, the down section does not give the schema back: it leaves table fresh")

        // A down that fails names its own line; the next file still sees the up's table, not the down's end.
        let failing = try lint([migration("CREATE TABLE fresh (x);", "DROP TABLE fresh;\nDROP TABLE nope;"), "INSERT INTO fresh VALUES (1);"])
        #expect(failing.map(\.code) == [.downFails])
        #expect(failing.first?.location.line == 5 && failing.first?.location.file.hasSuffix("002_next.sql") == true
                && failing.first?.location.section == "down" && failing.first?.location.description.hasSuffix("002_next.sql (down section):5:1") == true)
        // An empty down section asks for the recorded reverse: nothing to check.
        #expect(try codes(migration("ALTER TABLE parents DROP COLUMN name;", "")) == [.dropColumn])
    }

    @Test("the bundled example migrations have no finding")
    func examples() throws {
        let p = TempProject()
        let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../migrations").standardized.path
        for name in try FileManager.default.contentsOfDirectory(atPath: bundled) where name.hasSuffix(".sql") {
            p.write(name, try String(contentsOfFile: bundled + "/" + name, encoding: .utf8))
        }
        let (findings, pending) = try Linter(directory: MigrationDirectory(path: p.migrations), database: DatabaseOpener(path: p.database)).run()
        #expect(pending == 7)
        #expect(findings == [])
        #expect(!p.exists, "no database is created")
    }
}
