import Foundation
import SQLiteKit
import Testing

/// The `backup` step on a real database that another connection is using.
@Suite("deploy: the backup step")
struct DeployBackupTests {
    @Test("backup writes a consistent copy: committed rows, also those still in the WAL, and not a transaction in progress")
    func consistentCopy() throws {
        let cli = CLI()
        cli.migration("001_init.sql", """
            CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            INSERT INTO t (name) VALUES ('one'), ('two; with a semicolon'), ('three');

            """)
        cli.write("deploy.yml", """
            app: demo
            database:
              path: app.db
            targets:
              local:
                path: .
                steps:
                  - migrate
              snapshot:
                path: .
                steps:
                  - backup

            """)
        let migrated = try cli.run("deploy", "local")
        #expect(migrated.status == 0, "\(migrated.stdout)\(migrated.stderr)")

        // The app keeps the database open in WAL mode: one committed row lives only in the WAL
        // (a copy of app.db alone would miss it), and a write transaction is in progress.
        let app = try Connection(path: cli.database, mode: .readWrite)
        #expect(try app.scalar("PRAGMA journal_mode=WAL")?.string == "wal")
        try app.execute("INSERT INTO t (name) VALUES ('committed, still in the WAL')")
        try app.execute("BEGIN IMMEDIATE; INSERT INTO t (name) VALUES ('not committed')")
        let mainFile = try String(decoding: Data(contentsOf: URL(fileURLWithPath: cli.database)), as: UTF8.self)
        #expect(!mainFile.contains("committed, still in the WAL"))

        let deploy = try cli.run("deploy", "snapshot", "--json")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        try app.execute("ROLLBACK")

        let announced = deploy.jsonLines.compactMap { $0["line"] as? String }.first { $0.hasPrefix("BACKUP") }
        let relative = try #require(announced).dropFirst("BACKUP".count).trimmingCharacters(in: .whitespaces)
        let folder = cli.root + "/.slipway/backups"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.count == 1, "\(files)")
        let name = try #require(files.first)
        #expect(name.hasPrefix("app.db.") && name.hasSuffix(".bak"))
        #expect(URL(fileURLWithPath: cli.root + "/" + relative).standardized.path == URL(fileURLWithPath: folder + "/" + name).standardized.path)

        let copy = try Connection(path: folder + "/" + name, mode: .readOnly)
        #expect(try copy.scalar("PRAGMA integrity_check")?.string == "ok")
        let rows = try copy.query("SELECT id, name FROM t ORDER BY id")
        #expect(rows.map { $0[1].string } == ["one", "two; with a semicolon", "three", "committed, still in the WAL"])
        #expect(try app.query("SELECT id, name FROM t ORDER BY id") == rows)
        #expect(try copy.query("SELECT filename FROM _migrations").map { $0[0].string } == ["001_init.sql"])

        let history = try cli.run("history", "snapshot", "--json").jsonLines
        #expect(history.map { $0["result"] as? String } == ["succeeded", "succeeded"])
    }
}
