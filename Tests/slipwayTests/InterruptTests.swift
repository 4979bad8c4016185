import Foundation
import Testing
import SQLiteKit

@Suite("Ctrl-C during a migration")
struct InterruptTests {
    @Test("SIGINT rolls the running migration back, leaves no journal, exits 130")
    func sigint() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE a (x);")
        // Long enough (tens of seconds) that the signal always lands while it runs; no disk writes.
        cli.migration("002_slow.sql", """
            CREATE TABLE b (x);
            INSERT INTO b VALUES (1);
            WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 300000000) SELECT count(*) FROM n;
            """)
        var (process, stdout, seen) = try cli.startAndWait(
            for: ["\"file\":\"002_slow.sql\""], ["migrate", "--db", "app.db", "--json"])
        kill(process.processIdentifier, SIGINT)
        seen += String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(seen.contains("interrupted: 002_slow.sql was rolled back and not recorded"))
        #expect(!FileManager.default.fileExists(atPath: cli.database + "-journal"))
        #expect(try cli.query("SELECT filename FROM _migrations") == [["001_a.sql"]])
        #expect(try cli.query("SELECT count(*) FROM sqlite_master WHERE name = 'b'") == [[0]])
    }
}
