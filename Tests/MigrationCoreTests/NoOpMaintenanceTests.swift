import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("transaction:false maintenance: nothing to undo, known from the statements")
struct NoOpMaintenanceTests {
    static let maintenance = [
        "VACUUM;", "ANALYZE;", "REINDEX;", "PRAGMA optimize;", "PRAGMA wal_checkpoint(TRUNCATE);",
        "PRAGMA journal_mode = DELETE;", "VACUUM;\nANALYZE;\nPRAGMA optimize;",
    ]

    @Test("VACUUM, ANALYZE, REINDEX and harmless pragmas change nothing; writes, DDL and stored pragmas do", arguments: [
        ("VACUUM;", true), ("ANALYZE;", true), ("REINDEX;", true), ("PRAGMA optimize;", true),
        ("PRAGMA wal_checkpoint(TRUNCATE);", true), ("PRAGMA journal_mode = WAL;", true), ("-- only a comment\nVACUUM;", true),
        ("UPDATE users SET name = 'x';", false), ("CREATE TABLE t (a);", false), ("CREATE INDEX i ON sqlite_master(name);", false),
        ("PRAGMA user_version = 7;", false), ("VACUUM; DELETE FROM users;", false), ("not sql at all", false),
    ])
    func classifies(_ sql: String, _ nothing: Bool) {
        #expect(NoOpMaintenance.changesNothing(sql) == nothing, "\(sql)")
    }

    @Test("applied, it is recorded as nothing to undo; dry runs say so; rollback takes no step and leaves schema and rows as they were",
          arguments: maintenance)
    func roundTrip(_ sql: String) throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        #expect(p.migrate().error == nil)
        p.write("002_compact.sql", "-- migrate:up transaction:false\n" + sql + "\n")
        let planned = p.migrate { $0.dryRun = true }.events.compactMap { event -> MigrationEvent.Reverse? in
            if case .planned(let f, _, _, let reverse) = event, f == "002_compact.sql" { return reverse }
            return nil
        }
        #expect(planned == [.nothing])
        let before = try FullState(p.database)
        #expect(p.migrate().error == nil)
        #expect(try p.strategy(of: "002_compact.sql") == RollbackRecord.Strategy.nothing.rawValue)
        let down = p.rollback()
        #expect(down.error == nil)
        let steps = down.events.compactMap { event -> [ReverseStep]? in
            if case .planned(_, _, let steps) = event { return steps }
            return nil
        }
        #expect(steps == [[]])
        #expect(try FullState(p.database) == before)
        #expect(try p.db().query("SELECT count(*) FROM _migrations WHERE filename = '002_compact.sql'").first?[0].int == 0)
    }

    @Test("a transaction:false file that writes still needs a down section: the dry run and rollback say so")
    func writesNeedDown() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        #expect(p.migrate().error == nil)
        p.write("002_fix.sql", "-- migrate:up transaction:false\nUPDATE users SET score = 0;\n")
        let planned = p.migrate { $0.dryRun = true }.events.contains { event in
            if case .planned("002_fix.sql", _, _, .none) = event { return true }
            return false
        }
        #expect(planned)
        #expect(p.migrate().error == nil)
        let down = p.rollback()
        guard case .notReversible(let file, let reason)? = down.error else {
            Issue.record("expected notReversible, got \(String(describing: down.error))")
            return
        }
        #expect(file == "002_fix.sql" && reason.contains("nothing was recorded"))
    }
}
