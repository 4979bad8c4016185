import Foundation
import Testing
import SQLiteKit

@Suite("Exactly once under concurrency and SIGKILL")
struct ConcurrencyTests {
    @Test("8 migrate processes released together apply each migration exactly once, transaction:false ones too")
    func concurrentRuns() throws {
        let cli = CLI()
        cli.migration("001_log.sql", "CREATE TABLE applied_log (name TEXT NOT NULL);")
        for i in 2...21 {
            let name = String(format: "%03d_m.sql", i)
            // Not idempotent: a second application would add a second log row.
            cli.migration(name, "CREATE TABLE t\(i) (x);\nINSERT INTO applied_log VALUES ('\(name)');")
        }
        // First, and outside a transaction: only slipway's folder lock keeps this to one run.
        cli.migration("000_notx.sql", """
            -- migrate:up transaction:false
            CREATE TABLE IF NOT EXISTS notx_runs (x);
            WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 300000) SELECT count(*) FROM n;
            INSERT INTO notx_runs VALUES (1);
            """)
        // The barrier: every child blocks in `read` on one pipe; closing its write
        // end wakes them all at once (no sleeps, no polling).
        let gate = Pipe()
        var children: [(Process, String, String)] = []
        for _ in 0..<8 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "read _ignored; exec \"$0\" migrate --db app.db --json --lock-timeout 120", CLI.binary]
            process.currentDirectoryURL = URL(fileURLWithPath: cli.root)
            let id = UUID().uuidString
            let out = cli.root + "/.out-\(id)", err = cli.root + "/.err-\(id)"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            _ = FileManager.default.createFile(atPath: err, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: out)
            process.standardError = FileHandle(forWritingAtPath: err)
            process.standardInput = gate.fileHandleForReading
            try process.run()
            children.append((process, out, err))
        }
        try gate.fileHandleForWriting.close()
        var applied = 0
        for (process, out, err) in children {
            process.waitUntilExit()
            let result = cli.collect(process, out, err)
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try #require(result.jsonLines.last)
            #expect(summary["event"] as? String == "summary")
            applied += summary["applied"] as? Int ?? 0
        }
        #expect(applied == 22)
        #expect(try cli.query("SELECT count(*), count(DISTINCT name) FROM applied_log") == [[20, 20]])
        #expect(try cli.query("SELECT count(*) FROM notx_runs") == [[1]])
        #expect(try cli.query("SELECT count(*) FROM _migrations") == [[22]])
        #expect(try cli.query("PRAGMA integrity_check") == [["ok"]])
    }

    @Test("SIGKILL in the middle of a migration and right after a commit: each is fully applied and recorded, or absent")
    func killMidMigration() throws {
        let cli = CLI()
        let migrations = 4
        for i in 1...migrations {
            cli.migration(String(format: "%03d_big.sql", i), """
                CREATE TABLE big\(i) (id INTEGER PRIMARY KEY, v TEXT);
                WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 150000)
                INSERT INTO big\(i) (id, v) SELECT k, hex(randomblob(16)) FROM n;
                CREATE INDEX big\(i)_v ON big\(i)(v);
                UPDATE big\(i) SET v = lower(v);
                """)
        }
        // The migration says when: the kill follows its "applying" event, so it lands while
        // that file runs; every other round first lets one file commit (its "applied" event,
        // then the next file's "applying"). Six rounds leave one file for the final run.
        for round in 0..<6 {
            let (process, stdout, seen) = try cli.startAndWait(for: ["\"applying\""], ["migrate", "--db", "app.db", "--json"])
            var events = seen
            if round % 2 == 1 {
                while events.components(separatedBy: "\"applying\"").count < 3 {
                    let chunk = stdout.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    events += String(decoding: chunk, as: UTF8.self)
                }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
                    "round \(round): migrate was not killed while it ran:\n\(events)")
            try checkAllOrNothing(cli, migrations)
        }
        #expect(try cli.query("SELECT count(*) FROM _migrations") == [[3]])
        let finish = try cli.run("migrate", "--db", "app.db")
        #expect(finish.status == 0, "\(finish.stderr)")
        try checkAllOrNothing(cli, migrations)
        #expect(try cli.query("SELECT count(*) FROM _migrations") == [[.integer(Int64(migrations))]])
    }

    func checkAllOrNothing(_ cli: CLI, _ migrations: Int) throws {
        guard FileManager.default.fileExists(atPath: cli.database) else { return }
        let db = try Connection(path: cli.database, mode: .readWrite)  // read-write: rolls back a hot journal
        #expect(try db.query("PRAGMA integrity_check") == [["ok"]])
        let hasTable = try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = '_migrations'") == .integer(1)
        let recorded = hasTable ? Set(try db.query("SELECT filename FROM _migrations").compactMap { $0[0].string }) : []
        for i in 1...migrations {
            let exists = try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'big\(i)'") == .integer(1)
            let isRecorded = recorded.contains(String(format: "%03d_big.sql", i))
            #expect(exists == isRecorded, "big\(i): table \(exists ? "exists" : "absent") but \(isRecorded ? "recorded" : "unrecorded")")
            if exists {
                #expect(try db.query("SELECT count(*), count(*) FILTER (WHERE v = lower(v)) FROM big\(i)") == [[150000, 150000]])
                #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'big\(i)_v'") == .integer(1))
            }
        }
    }
}
