import Foundation
import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("Recording at apply time: what each kind of statement needs")
struct ApplyRecorderTests {
    static let setup = """
        CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 50) INSERT INTO items SELECT k, 'item ' || k FROM n;
        CREATE TABLE audit_log (id INTEGER PRIMARY KEY, note TEXT);
        """

    @Test("records are the same bytes for the same migrations of the same database (sorted keys)")
    func recordsAreDeterministic() throws {
        func records() throws -> [[SQLiteValue]] {
            let p = TempProject()
            p.write("001_setup.sql", Self.setup)
            for i in 2...12 {
                p.write(String(format: "%03d_fill.sql", i), "INSERT INTO items (name) VALUES ('a\(i)'), ('b\(i)'); CREATE INDEX i\(i) ON items (name);")
            }
            #expect(p.migrate().error == nil)
            return try p.rows("SELECT rollback_record FROM _migrations ORDER BY id")
        }
        let first = try records()
        #expect(first.count == 12)
        #expect(try records() == first)
        let keys = first.compactMap { $0[0].string }.filter { $0.contains("\"inserted\"") }
        #expect(keys.count == 11 && keys.allSatisfy { $0.range(of: "\"after\":")!.lowerBound < $0.range(of: "\"digest\":")!.lowerBound })
    }

    @Test("a column added and set by the same migration needs no copy of its table; rollback is exact", arguments: [false, true])
    func addedColumnNeedsNoCopy(_ seesDefaults: Bool) throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup + "CREATE TRIGGER items_audit AFTER UPDATE ON items BEGIN INSERT INTO audit_log (note) VALUES (new.name); END;")
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_rank.sql", """
            ALTER TABLE items ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;
            UPDATE items SET rank = id % 5;
            UPDATE items SET rank = rank + 1, name = upper(name) WHERE id < 10;
            """)
        let up = p.migrate { $0.sessionSeesAddedColumnDefaults = seesDefaults }
        #expect(up.error == nil, "\(String(describing: up.error))")
        let warnings = up.events.filter { if case .warning = $0 { true } else { false } }
        #expect(warnings.isEmpty, "\(warnings)")
        let db = try Connection(path: p.database, mode: .readOnly)
        #expect(try db.scalar(#"SELECT count(*) FROM sqlite_master WHERE name LIKE '\_slipway%' ESCAPE '\'"#) == .integer(0))
        #expect(try db.scalar("SELECT count(*) FROM audit_log") == .integer(59))
        let down = p.rollback()
        #expect(down.error == nil, "\(String(describing: down.error))")
        #expect(try FullState(p.database) == before)
    }

    @Test("an UPDATE that only sets a column the migration added leaves the changeset empty")
    func addedColumnUpdateNotRecorded() throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_rank.sql", "ALTER TABLE items ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;\nUPDATE items SET rank = id % 5;")
        #expect(p.migrate().error == nil)
        let db = try Connection(path: p.database, mode: .readOnly)
        #expect(try db.scalar("SELECT coalesce(length(rollback_changeset), 0) FROM _migrations WHERE filename = '002_rank.sql'") == .integer(0))
        #expect(try db.scalar("SELECT sum(rank) FROM items") == .integer(100))
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("an UPDATE of rows stored before an earlier ADD COLUMN … DEFAULT needs no copy either", arguments: [false, true])
    func olderAddedColumnNeedsNoCopy(_ seesDefaults: Bool) throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        p.write("002_flag.sql", "ALTER TABLE items ADD COLUMN flag INTEGER NOT NULL DEFAULT 7;")
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("003_names.sql", "UPDATE items SET name = upper(name) WHERE id % 2 = 0;")
        #expect(p.migrate { $0.sessionSeesAddedColumnDefaults = seesDefaults }.error == nil)
        let db = try Connection(path: p.database, mode: .readOnly)
        #expect(try db.scalar(#"SELECT count(*) FROM sqlite_master WHERE name LIKE '\_slipway%' ESCAPE '\'"#) == .integer(0))
        let down = p.rollback()
        #expect(down.error == nil, "\(String(describing: down.error))")
        #expect(try FullState(p.database) == before)
        #expect(try db.scalar("SELECT sum(flag) FROM items") == .integer(350))
    }

    @Test("UPDATE and DELETE of rows stored before an earlier ADD COLUMN … NOT NULL DEFAULT write the default back, with no copy")
    func notNullDefaultFilledIn() throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        p.write("002_rank.sql", "ALTER TABLE items ADD COLUMN rank INTEGER NOT NULL DEFAULT 4;")
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("003_fix.sql", "UPDATE items SET rank = rank + 1 WHERE id % 2 = 0;\nDELETE FROM items WHERE id > 45;")
        #expect(p.migrate { $0.sessionSeesAddedColumnDefaults = false }.error == nil)
        let db = try Connection(path: p.database, mode: .readOnly)
        #expect(try db.scalar(#"SELECT count(*) FROM sqlite_master WHERE name LIKE '\_slipway%' ESCAPE '\'"#) == .integer(0))
        let down = p.rollback()
        #expect(down.error == nil, "\(String(describing: down.error))")
        #expect(try FullState(p.database) == before)
        #expect(try db.query("SELECT count(*), sum(rank) FROM items") == [[50, 200]])
    }

    @Test("an indexed added column is guarded through its index: a later change to it is still found before rollback")
    func indexedAddedColumnGuard() throws {
        let p = TempProject()
        p.write("001_setup.sql", Self.setup)
        #expect(p.migrate().error == nil)
        p.write("002_flag.sql", """
            ALTER TABLE items ADD COLUMN done INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX items_done ON items (done);
            UPDATE items SET done = 1 WHERE id > 45;
            """)
        #expect(p.migrate().error == nil)
        let db = try Connection(path: p.database)
        #expect(try db.scalar("SELECT rollback_record LIKE '%\"byValue\":true%' FROM _migrations WHERE filename = '002_flag.sql'") == .integer(1))
        #expect(p.rollback { $0.dryRun = true }.error == nil)  // unchanged since: nothing to report
        try db.execute("UPDATE items SET done = 1 WHERE id = 3")
        guard case .dataLoss(let found)? = p.rollback().error else {
            Issue.record("rollback did not report the change to the added column")
            return
        }
        #expect(found.map(\.table) == ["items"])
    }
}
