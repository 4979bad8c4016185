import Foundation
import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("Rollback data retention: keep_rollback and prune")
struct RollbackRetentionTests {
    /// A database with a table without a primary key (its updates are recorded as
    /// `_slipway_snap_*` copies) and `count` migrations that each update it.
    func project(_ count: Int) throws -> TempProject {
        let p = TempProject()
        let db = try Connection(path: p.database)
        try db.execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('a'), ('b');")
        for i in 1...count { p.write(name(i), "UPDATE notes SET body = body || '\(i)';") }
        return p
    }

    func name(_ i: Int) -> String { String(format: "%03d_note.sql", i) }

    func opener(_ p: TempProject) -> DatabaseOpener { DatabaseOpener(path: p.database, busyTimeoutMilliseconds: 5000) }

    func pruned(_ p: TempProject) throws -> [String] {
        try p.rows("SELECT filename FROM _migrations WHERE json_extract(rollback_record, '$.pruned.keep') IS NOT NULL ORDER BY id")
            .compactMap { $0[0].string }
    }

    @Test("after 25 migrations with keep 20, the 5 oldest lose their copies and changesets; their records say pruned")
    func keepsTheNewest() throws {
        let p = try project(25)
        p.migrate { $0.target = name(5); $0.keepRollback = 20 }
        let up = p.migrate { $0.keepRollback = 20 }
        #expect(up.error == nil)
        #expect(try p.copies("snap") == 20)
        #expect(try pruned(p) == (1...5).map(name))
        #expect(try p.rows("SELECT count(*) FROM _migrations WHERE rollback_changeset IS NOT NULL AND id <= 5") == [[0]])
        #expect(try p.rows("SELECT rollback_record FROM _migrations WHERE id = 1") == [[.text(#"{"pruned":{"keep":20}}"#)]])
        let event = up.events.compactMap { if case .pruned(let report, 20) = $0 { report } else { nil } }.first
        #expect(event?.pruned.map(\.filename) == (1...5).map(name))
        #expect(event?.pruned.allSatisfy { $0.copies.count == 1 && $0.bytes > 0 } == true)
    }

    @Test("the newest 20 still roll back; rolling back into a pruned one refuses first and changes nothing")
    func refusesPruned() throws {
        let p = try project(25)
        p.migrate { $0.target = name(5); $0.keepRollback = 20 }
        p.migrate { $0.keepRollback = 20 }
        let applied = try FullState(p.database)
        // Steps 21 reaches 005: refused before the 20 newer ones are undone.
        guard case .notReversible(let file, let reason)? = p.rollback({ $0.steps = 21 }).error else {
            Issue.record("a pruned migration was rolled back"); return
        }
        #expect(file == name(5))
        #expect(reason.contains("rollback data was pruned") && reason.contains("newest 20") && reason.contains("keep_rollback"))
        #expect(try FullState(p.database) == applied)
        #expect(try p.tracked().count == 25)
        #expect(try p.copies("snap") == 20)

        let events = p.rollback { $0.target = "005" }
        #expect(events.error == nil)
        #expect(events.events.filter { if case .rolledBack = $0 { true } else { false } }.count == 20)
        #expect(try p.rows("SELECT body FROM notes ORDER BY rowid") == [[.text("a12345")], [.text("b12345")]])
        #expect(try p.copies("snap") == 0)
        // The dry run of the pruned one refuses the same way.
        guard case .notReversible(name(5), _)? = p.rollback({ $0.dryRun = true }).error else { Issue.record("dry run"); return }
    }

    @Test("a pruned migration with a down section, recorded or added to the file since, still rolls back")
    func downSectionAfterPruning() throws {
        let p = try project(1)
        p.write("002_down.sql", "-- migrate:up\nUPDATE notes SET body = body || '!';\n-- migrate:down\nUPDATE notes SET body = rtrim(body, '!');\n")
        #expect(p.migrate { $0.keepRollback = 0 }.error == nil)
        p.write("003_note.sql", "UPDATE notes SET body = body || '3';")
        #expect(p.migrate { $0.keepRollback = 0 }.error == nil)
        #expect(try pruned(p) == [name(1), "002_down.sql"])
        #expect(try p.copies("snap") == 1)  // 003's, applied by the last run
        #expect(p.rollback { $0.steps = 2 }.error == nil)  // 003 by its data, 002 by its recorded down section
        // 001's data is gone and its file has no down section: refused.
        guard case .notReversible(let refused, _)? = p.rollback().error, refused == name(1) else { Issue.record("001 rolled back"); return }
        p.write(name(1), "-- migrate:up\nUPDATE notes SET body = body || '1';\n-- migrate:down\nUPDATE notes SET body = rtrim(body, '1');\n")
        #expect(p.rollback().error == nil)
        #expect(try p.rows("SELECT body FROM notes ORDER BY rowid") == [[.text("a")], [.text("b")]])
        #expect(try p.tracked().isEmpty)
    }

    @Test("the migrations one run applied keep their data whatever keep says: the deploy that ran them stays undoable")
    func lastRunKept() throws {
        let p = try project(4)
        p.migrate { $0.target = name(1) }
        #expect(p.migrate { $0.keepRollback = 1 }.error == nil)
        #expect(try pruned(p) == [name(1)])
        #expect(try p.copies("snap") == 3)
        #expect(p.rollback { $0.steps = 3 }.error == nil)
        #expect(try p.rows("SELECT body FROM notes ORDER BY rowid") == [[.text("a1")], [.text("b1")]])
    }

    @Test("prune --keep: a dry run only reads; the run drops what it listed, as much as status counted")
    func pruneByHand() throws {
        let p = try project(6)
        p.migrate()
        #expect(try p.copies("snap") == 6)
        let before = try RollbackUsage.read(opener(p), table: TrackingTable())
        let dry = try RollbackRetention(keep: 2).run(opener(p), dryRun: true, vacuum: false)
        #expect(dry.pruned.map(\.filename) == (1...4).map(name))
        #expect(try p.copies("snap") == 6)
        #expect(try pruned(p).isEmpty)
        let report = try RollbackRetention(keep: 2).run(opener(p), dryRun: false, vacuum: false)
        #expect(report == dry)
        #expect(try p.copies("snap") == 2)
        let after = try RollbackUsage.read(opener(p), table: TrackingTable())
        #expect(after.migrations == 2 && after.pruned == 4)
        #expect(before.bytes - after.bytes == report.bytes)
        #expect(try RollbackRetention(keep: 2).run(opener(p), dryRun: false, vacuum: false).pruned.isEmpty)
    }

    @Test("prune --vacuum gives the freed pages back to the file system")
    func vacuum() throws {
        let p = try project(1)
        try p.db().execute("WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 5000) INSERT INTO notes SELECT printf('%0100d', k) FROM n")
        p.migrate()
        let size = try FileManager.default.attributesOfItem(atPath: p.database)[.size] as! Int64
        let report = try RollbackRetention(keep: 0).run(opener(p), dryRun: false, vacuum: true)
        #expect(report.bytes > 500_000)
        #expect(try #require(report.vacuumedBytes) < size - 500_000)
    }

    @Test("a migration that ran behind a backup file loses the file with its rollback data")
    func backupFile() throws {
        let p = try project(1)
        p.write("002_t.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 'x');")
        p.migrate()
        p.write("003_big.sql", "UPDATE t SET v = 'y'; DELETE FROM t WHERE id = 9;")
        #expect(p.migrate { $0.recordingLimit = 1 }.error == nil)
        #expect(try p.strategy(of: "003_big.sql") == "backup")
        let folder = p.root + "/.slipway/rollback"
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1)
        let report = try RollbackRetention(keep: 0).run(opener(p), dryRun: false, vacuum: false)
        #expect(report.pruned.last?.backupPath?.hasPrefix(folder) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("rows adopted from the sql.js runner stay as they were; a failed or empty run prunes nothing")
    func legacyAndNoOp() throws {
        let p = try project(2)
        try p.db().execute("""
            CREATE TABLE _migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT UNIQUE NOT NULL, applied_at INTEGER NOT NULL);
            INSERT INTO _migrations (filename, applied_at) VALUES ('000_legacy.sql', 1);
            """)
        p.write("003_bad.sql", "UPDATE nowhere SET x = 1;")
        #expect(p.migrate { $0.keepRollback = 0 }.error != nil)
        #expect(try pruned(p).isEmpty)
        #expect(try p.copies("snap") == 2)
        p.remove("003_bad.sql")
        #expect(p.migrate { $0.keepRollback = 0 }.events.contains { if case .pruned = $0 { true } else { false } } == false)
        #expect(try p.copies("snap") == 2)
        #expect(try RollbackRetention(keep: 0).run(opener(p), dryRun: false, vacuum: false).pruned.map(\.filename) == [name(1), name(2)])
        #expect(try p.rows("SELECT filename, checksum, rollback_record FROM _migrations WHERE id = 1") == [[.text("000_legacy.sql"), .null, .null]])
    }
}
