import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("Drift: migrate stops on an edited applied file; baseline and repair")
struct DriftTests {
    func opener(_ p: TempProject) -> DatabaseOpener { DatabaseOpener(path: p.database, busyTimeoutMilliseconds: 5000) }
    func files(_ p: TempProject) throws -> [MigrationFile] { try MigrationDirectory(path: p.migrations).load() }

    /// The sql.js runner's table: filenames and times, no checksums.
    func sqljsDatabase(_ p: TempProject) throws {
        try Connection(path: p.database).execute("""
            CREATE TABLE _migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT UNIQUE NOT NULL, applied_at INTEGER NOT NULL);
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO _migrations (filename, applied_at) VALUES ('001_users.sql', 1729468800);
            """)
        p.write("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);")
    }

    @Test("an edited applied file stops migrate before anything runs, also in a dry run; --allow-modified goes on")
    func driftStopsMigrate() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (v); INSERT INTO t VALUES (1);")
        p.migrate()
        p.write("001_a.sql", "CREATE TABLE t (v); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);")
        p.write("002_b.sql", "INSERT INTO t VALUES (3);")
        for dryRun in [true, false] {
            let run = p.migrate { $0.dryRun = dryRun }
            guard case .modified(let names, let problems)? = run.error else { Issue.record("drift accepted: \(String(describing: run.error))"); return }
            #expect(names == ["001_a.sql"] && problems.count == 1 && problems[0].hasPrefix("001_a.sql changed after it was applied"))
            #expect(run.error?.description.contains("slipway repair 001_a.sql") == true)
            #expect(run.error?.isInvalidInput == false)
            #expect(run.events.contains { if case .modified("001_a.sql", _, _) = $0 { true } else { false } })
            #expect(run.summary.failed && run.summary.applied == 0)
        }
        #expect(try p.tracked() == ["001_a.sql"])
        #expect(try p.rows("SELECT v FROM t ORDER BY v") == [[1]])

        let allowed = p.migrate { $0.allowModified = true }
        #expect(allowed.error == nil)
        #expect(allowed.summary.modified == 1 && allowed.summary.applied == 1)
        #expect(try p.rows("SELECT v FROM t ORDER BY v") == [[1], [3]])  // the edit itself never runs
    }

    @Test("baseline records checksums for adopted rows, journaled; a later edit then stops migrate")
    func baselineAdopted() throws {
        let p = TempProject()
        try sqljsDatabase(p)
        p.write("002_names.sql", "CREATE INDEX names ON users (name);")
        let result = try TrackingTable().baseline(files: files(p), upTo: nil, by: "ada", at: 1_800_000_000, opener: opener(p))
        #expect(result == BaselineResult(checksummed: ["001_users.sql"], marked: []))
        let checksum = try files(p)[0].checksum
        #expect(try p.rows("SELECT filename, applied_at, checksum FROM _migrations") == [["001_users.sql", 1729468800, .text(checksum)]])
        let journal = try TrackingTable().repairs(of: "001_users.sql", on: p.db())
        #expect(journal == [ChecksumRepair(action: .baseline, at: 1_800_000_000, by: "ada", from: nil, to: checksum)])
        // The pending file is left alone; a second baseline has nothing to do.
        #expect(try p.tracked() == ["001_users.sql"])
        #expect(try TrackingTable().baseline(files: files(p), upTo: nil, by: "ada", at: 1, opener: opener(p)) == BaselineResult())

        p.write("001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);")
        guard case .modified? = p.migrate().error else { Issue.record("an edit to a baselined file went unnoticed"); return }
        #expect(try p.tracked() == ["001_users.sql"])
    }

    @Test("baseline --to records pending files as applied without running them")
    func baselineUpTo() throws {
        let p = TempProject()
        try Connection(path: p.database).execute("CREATE TABLE t (v);")
        p.write("001_t.sql", "CREATE TABLE t (v);")
        p.write("002_u.sql", "CREATE TABLE u (v);")
        p.write("003_w.sql", "CREATE TABLE w (v);")
        let result = try TrackingTable().baseline(files: files(p), upTo: "2", by: "ada", at: 5, opener: opener(p))
        #expect(result.marked == ["001_t.sql", "002_u.sql"])
        #expect(try p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'u'") == [[0]])
        let run = p.migrate()
        #expect(run.error == nil && run.summary.applied == 1)
        #expect(try p.tracked() == ["001_t.sql", "002_u.sql", "003_w.sql"])
    }

    @Test("baseline on a missing database says so and creates nothing")
    func baselineMissingDatabase() throws {
        let p = TempProject()
        p.write("001_t.sql", "CREATE TABLE t (v);")
        #expect(throws: MigrationError.self) { try TrackingTable().baseline(files: files(p), upTo: nil, by: "a", at: 1, opener: opener(p)) }
        #expect(!p.exists)
    }

    @Test("repair accepts an edit: new checksum, journal of old and new, and migrate goes on")
    func repairAcceptsEdit() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (v);")
        p.migrate()
        let old = try files(p)[0].checksum
        p.write("001_a.sql", "-- the table of values\nCREATE TABLE t (v);")
        p.write("002_b.sql", "INSERT INTO t VALUES (1);")
        let new = try files(p)[0].checksum
        let repair = try TrackingTable().repair("1", files: files(p), by: "ada", at: 9, opener: opener(p))
        #expect(repair == ChecksumRepair(action: .repair, at: 9, by: "ada", from: old, to: new))
        #expect(try TrackingTable().repairs(of: "001_a.sql", on: p.db()) == [repair!])
        #expect(try TrackingTable().repair("001_a.sql", files: files(p), by: "ada", at: 10, opener: opener(p)) == nil)
        let run = p.migrate()
        #expect(run.error == nil && run.summary.applied == 1)
    }

    @Test("repair of a pending or unknown file is refused and changes nothing")
    func repairRefuses() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (v);")
        p.migrate()
        p.write("002_b.sql", "CREATE TABLE u (v);")
        for name in ["002_b.sql", "007"] {
            #expect {
                try TrackingTable().repair(name, files: files(p), by: "ada", at: 1, opener: opener(p))
            } throws: { error in
                guard let error = error as? MigrationError, case .unknownMigration = error else { return false }
                return error.isInvalidInput
            }
        }
        #expect(try p.rows("SELECT count(*) FROM _migrations WHERE repairs IS NOT NULL") == [[0]])
    }
}
