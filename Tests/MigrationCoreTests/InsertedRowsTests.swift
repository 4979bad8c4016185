import Foundation
import Testing
import SQLiteKit
@testable import MigrationCore

/// Rows a migration only inserts into a table that existed before are recorded as a
/// rowid range, not by the session (`ApplyRecorder+Ranges`): these say when that holds,
/// when it must not, and that rollback is exact either way.
@Suite("Inserted rows: a rowid range instead of a changeset")
struct InsertedRowsTests {
    static let setup = """
        CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sku TEXT UNIQUE);
        WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 40) INSERT INTO items SELECT k * 2, 'item ' || k, 'sku' || k FROM n;
        CREATE TABLE audit_log (id INTEGER PRIMARY KEY, note TEXT);
        CREATE TRIGGER items_audit AFTER INSERT ON items BEGIN INSERT INTO audit_log (note) VALUES (new.name); END;
        """

    /// The tracking row's record and changeset size for one file.
    private func recorded(_ p: TempProject, _ file: String) throws -> (inserted: [RollbackRecord.InsertedRows], changeset: Int64) {
        let row = try p.db().query("SELECT rollback_record, coalesce(length(rollback_changeset), 0) FROM _migrations WHERE filename = ?", [.text(file)])[0]
        let record = try JSONDecoder().decode(RollbackRecord.self, from: Data((row[0].string ?? "{}").utf8))
        return (record.inserted, row[1].int ?? -1)
    }

    @Test("a data fill and the audit rows its trigger writes: two ranges, an empty changeset, an exact rollback")
    func fillIsARange() throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_fill.sql", """
            WITH RECURSIVE n(k) AS (SELECT 41 UNION ALL SELECT k + 1 FROM n WHERE k < 60) INSERT INTO items SELECT k * 2, 'item ' || k, NULL FROM n;
            INSERT INTO items (name) VALUES ('last');
            """)
        #expect(p.migrate().error == nil)
        let (inserted, changeset) = try recorded(p, "002_fill.sql")
        #expect(changeset == 0)
        #expect(inserted.map(\.table).sorted() == ["audit_log", "items"])
        #expect(inserted.first { $0.table == "items" }.map { [$0.after, $0.through, $0.rows] } == [80, 121, 21])
        #expect(inserted.first { $0.table == "audit_log" }.map { [$0.after, $0.through, $0.rows] } == [nil, 21, 21])
        let down = p.rollback()
        #expect(down.error == nil, "\(String(describing: down.error))")
        #expect(try FullState(p.database) == before)
        #expect(try p.checksClean())
    }

    @Test("a table past the counting limit: a fill and an UPDATE's audit rows are still ranges (checked by counts of changes)")
    func largeTable() throws {
        let p = TempProject()
        let rows = ApplyRecorder.rangeRowLimit + 10
        p.write("001_setup.sql", Self.setup + """
            WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < \(rows)) INSERT INTO audit_log (note) SELECT 'old' FROM n;
            CREATE TRIGGER items_upd AFTER UPDATE ON items BEGIN INSERT INTO audit_log (note) VALUES ('u ' || new.id); END;
            """)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_fill.sql", "INSERT INTO items (name) VALUES ('one'), ('two');")
        p.write("003_touch.sql", "UPDATE items SET name = name || '!' WHERE id <= 10;")
        #expect(p.migrate().error == nil)
        #expect(try recorded(p, "002_fill.sql").inserted.map { [$0.table, String($0.rows)] }.sorted { $0[0] < $1[0] }
            == [["audit_log", "2"], ["items", "2"]])
        #expect(try recorded(p, "003_touch.sql").inserted.map { [$0.table, String($0.rows)] } == [["audit_log", "5"]])
        #expect(p.rollback { $0.steps = 2 }.error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("an UPDATE whose trigger also writes another table, or puts an audit row below the range: the session records it",
          arguments: ["UPDATE counters SET n = n + 1", "INSERT INTO audit_log (id, note) VALUES (-new.id, 'below')"])
    func updateCheckFails(extra: String) throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup + """
            CREATE TABLE counters (n INTEGER NOT NULL);
            INSERT INTO counters VALUES (0);
            INSERT INTO audit_log (note) VALUES ('old');
            CREATE TRIGGER items_upd AFTER UPDATE ON items BEGIN
              INSERT INTO audit_log (note) VALUES ('u ' || new.id);
              \(extra);
            END;
            """)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_touch.sql", "UPDATE items SET name = name || '!' WHERE id <= 10;\nDELETE FROM items WHERE id = 12;")
        #expect(p.migrate().error == nil)
        let (inserted, changeset) = try recorded(p, "002_touch.sql")
        #expect(inserted.isEmpty, "\(inserted)")
        #expect(changeset > 0)
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("UPDATE and DELETE FROM name the table they write themselves; other statements name none")
    func updatedOrDeleted() {
        #expect(ApplyRecorder.updatedOrDeleted(by: "UPDATE items SET a = 1") == "items")
        #expect(ApplyRecorder.updatedOrDeleted(by: "update or ignore \"Items\" set a = 1") == "items")
        #expect(ApplyRecorder.updatedOrDeleted(by: "UPDATE main.items AS i SET a = 1") == "items")
        #expect(ApplyRecorder.updatedOrDeleted(by: "-- note\nDELETE FROM [my items] WHERE 1") == "my items")
        #expect(ApplyRecorder.updatedOrDeleted(by: "UPDATE other.items SET a = 1") == nil)
        #expect(ApplyRecorder.updatedOrDeleted(by: "WITH x AS (SELECT 1) UPDATE items SET a = 1") == nil)
        #expect(ApplyRecorder.updatedOrDeleted(by: "INSERT INTO items VALUES (1)") == nil)
        #expect(ApplyRecorder.updatedOrDeleted(by: "DELETE items") == nil)
    }

    @Test("an inserted row changed since the migration stops the rollback, which changes nothing")
    func changedSinceConflicts() throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        p.write("002_fill.sql", "INSERT INTO items (name) VALUES ('new one'), ('new two');")
        #expect(p.migrate().error == nil)
        #expect(try recorded(p, "002_fill.sql").inserted.count == 2)
        try p.db().execute("UPDATE items SET name = 'edited' WHERE name = 'new two'")
        let after = try FullState(p.database)
        let down = p.rollback()
        guard case .rollbackConflict(let file, let what)? = down.error else {
            Issue.record("the change was not found: \(String(describing: down.error))")
            return
        }
        #expect(file == "002_fill.sql")
        #expect(what.contains("items"))
        #expect(try FullState(p.database) == after)
    }

    @Test("a row inserted below the largest rowid before: the migration runs again with the session, rollback exact")
    func gapInsertFallsBackToTheSession() throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_gap.sql", "INSERT INTO items (id, name) VALUES (3, 'odd one'), (500, 'far one');")
        #expect(p.migrate().error == nil)
        let (inserted, changeset) = try recorded(p, "002_gap.sql")
        #expect(!inserted.contains { $0.table == "items" })
        #expect(changeset > 0)
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("inserts, then an update or delete of the same table, in one migration: the session records it", arguments: [
        "UPDATE items SET name = 'renamed' WHERE id <= 10;",
        "DELETE FROM items WHERE id = 4;",
        "UPDATE items SET name = 'touched' WHERE name = 'late';",
    ])
    func otherWriteAfterInsert(_ second: String) throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_mixed.sql", "INSERT INTO items (name) VALUES ('late');\n" + second)
        #expect(p.migrate().error == nil)
        #expect(try !recorded(p, "002_mixed.sql").inserted.contains { $0.table == "items" })
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("REPLACE, in the statement or in the table's conflict clause, may delete rows: no range", arguments: [
        ("", "INSERT OR REPLACE INTO items (id, name, sku) VALUES (200, 'dup', 'sku1');"),
        ("", "REPLACE INTO items (name, sku) VALUES ('dup', 'sku2');"),
        ("CREATE TABLE tags (id INTEGER PRIMARY KEY, tag TEXT UNIQUE ON CONFLICT REPLACE); INSERT INTO tags (tag) VALUES ('a'), ('b');",
         "INSERT INTO tags (tag) VALUES ('a');"),
        // Before such tables were copied first, this inverse changeset ran into the REPLACE too and failed.
        ("CREATE TABLE tags (id INTEGER PRIMARY KEY, tag TEXT UNIQUE ON CONFLICT REPLACE); INSERT INTO tags (tag) VALUES ('a'), ('b');",
         "UPDATE tags SET tag = 'a' WHERE tag = 'b';"),
    ])
    func replaceIsNoRange(_ extra: String, _ change: String) throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup + extra)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_replace.sql", change)
        #expect(p.migrate().error == nil)
        #expect(try !recorded(p, "002_replace.sql").inserted.contains { $0.table != "audit_log" })
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("a trigger that replaces rows (no authorizer event shows it): no range, the replaced row comes back")
    func triggerReplaceIsNoRange() throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup + """
            CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER);
            INSERT INTO counters VALUES (1, 0);
            CREATE TRIGGER items_count AFTER INSERT ON items BEGIN
              INSERT OR REPLACE INTO counters (id, n) VALUES (1, (SELECT count(*) FROM items));
            END;
            """)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_fill.sql", "INSERT INTO items (name) VALUES ('one');")
        #expect(p.migrate().error == nil)
        #expect(try p.db().scalar("SELECT n FROM counters WHERE id = 1") == .integer(41))
        #expect(try recorded(p, "002_fill.sql").inserted.isEmpty)
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("a table whose rowid is not an INTEGER PRIMARY KEY keeps the session (VACUUM may renumber its rowids)")
    func textKeyKeepsTheSession() throws {
        let p = TempProject()
        p.write("001_setup.sql", "CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT); INSERT INTO codes VALUES ('a', 'A');")
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_codes.sql", "INSERT INTO codes VALUES ('b', 'B'), ('c', 'C');")
        #expect(p.migrate().error == nil)
        let (inserted, changeset) = try recorded(p, "002_codes.sql")
        #expect(inserted.isEmpty)
        #expect(changeset > 0)
        try p.db().execute("VACUUM")
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("INTEGER PRIMARY KEY DESC is no alias of the rowid (SQLite's quirk): the session, and VACUUM does not matter")
    func descendingKeyKeepsTheSession() throws {
        let p = TempProject()
        p.write("001_setup.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY DESC, body TEXT); INSERT INTO notes VALUES (10, 'a'), (20, 'b');")
        #expect(p.migrate().error == nil)
        p.write("002_notes.sql", "INSERT INTO notes VALUES (30, 'c'), (40, 'd');")
        #expect(p.migrate().error == nil)
        #expect(try recorded(p, "002_notes.sql").inserted.isEmpty)
        try p.db().execute("DELETE FROM notes WHERE id = 10; VACUUM; INSERT INTO notes VALUES (10, 'a')")
        #expect(p.rollback().error == nil)
        #expect(try p.db().query("SELECT id, body FROM notes ORDER BY id") == [[.integer(10), .text("a")], [.integer(20), .text("b")]])
    }

    @Test("an ADD COLUMN + UPDATE whose trigger writes audit rows: the session is paused, the audit rows are a range", arguments: [false, true])
    func addedColumnWithAuditTrigger(_ seesDefaults: Bool) throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup + "CREATE TRIGGER items_upd AFTER UPDATE ON items BEGIN INSERT INTO audit_log (note) VALUES ('u ' || new.id); END;")
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_rank.sql", "ALTER TABLE items ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;\nUPDATE items SET rank = id % 7;")
        #expect(p.migrate { $0.sessionSeesAddedColumnDefaults = seesDefaults }.error == nil)
        let (inserted, changeset) = try recorded(p, "002_rank.sql")
        #expect(changeset == 0)
        #expect(inserted.map { [$0.table, String($0.rows)] } == [["audit_log", "40"]])
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("the plan names the rows it deletes")
    func planShowsTheRange() throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        p.write("002_fill.sql", "INSERT INTO items (name) VALUES ('one'), ('two');")
        #expect(p.migrate().error == nil)
        let plan = p.rollback { $0.dryRun = true }
        #expect(plan.error == nil)
        let steps = plan.events.compactMap { if case .planned(_, _, let steps) = $0 { steps } else { nil } }.flatMap { $0 }
        #expect(steps.contains(.deleteInserted(table: "items", after: 80, through: 82, rows: 2,
                                               digest: try recorded(p, "002_fill.sql").inserted.first { $0.table == "items" }?.digest ?? "")))
        #expect(steps.map(\.description).contains("-- delete the 2 rows the migration inserted into items (rowid 81…82)"))
    }
}
