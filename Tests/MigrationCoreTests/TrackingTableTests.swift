import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("TrackingTable: compatible with the sql.js runner's _migrations")
struct TrackingTableTests {
    /// A database exactly as run-all-migrations.mjs left it: three columns, no checksums.
    func sqljsEraDatabase(_ p: TempProject) throws {
        let db = try Connection(path: p.database)
        try db.execute("""
            CREATE TABLE _migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT UNIQUE NOT NULL, applied_at INTEGER NOT NULL);
            CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT UNIQUE NOT NULL);
            INSERT INTO users (username) VALUES ('ada');
            INSERT INTO _migrations (filename, applied_at) VALUES ('001_create_users.sql', 1729468800);
            """)
    }

    @Test("an sql.js-era database is adopted: old rows kept as they were, never re-run, columns added in place")
    func adoptsSqljsDatabase() throws {
        let p = TempProject()
        try sqljsEraDatabase(p)
        // Not idempotent on purpose: re-running it would fail on the UNIQUE username.
        p.write("001_create_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT UNIQUE NOT NULL);\nINSERT INTO users (username) VALUES ('ada');")
        p.write("002_add_roles.sql", "ALTER TABLE users ADD COLUMN role TEXT DEFAULT 'user';")
        let run = p.migrate()
        #expect(run.error == nil)
        #expect(run.events.contains(.skip(filename: "001_create_users.sql", reason: .adopted)))
        #expect(run.summary.applied == 1)
        let rows = try p.rows("SELECT id, filename, applied_at, checksum FROM _migrations ORDER BY id")
        #expect(rows[0] == [1, "001_create_users.sql", 1729468800, nil])
        #expect(rows[1][1] == "002_add_roles.sql")
        #expect(rows[1][3].string?.count == 64)
        let columns = try p.rows("SELECT name FROM pragma_table_info('_migrations')").compactMap { $0[0].string }
        #expect(columns == ["id", "filename", "applied_at", "checksum", "duration_ms", "rollback_record", "rollback_changeset", "repairs"])
        #expect(try p.rows("SELECT rollback_record IS NULL, json_extract(rollback_record, '$.guards[0].column') FROM _migrations ORDER BY id") == [[1, nil], [0, "role"]])
        #expect(try p.rows("SELECT count(*) FROM users") == [[1]])
    }

    @Test("--dry-run leaves an old tracking table as it is")
    func dryRunDoesNotUpgrade() throws {
        let p = TempProject()
        try sqljsEraDatabase(p)
        p.write("001_create_users.sql", "SELECT 1;")
        p.write("002_x.sql", "CREATE TABLE x (y);")
        let run = p.migrate { $0.dryRun = true }
        #expect(run.error == nil)
        #expect(run.summary.pending == 1)
        #expect(try p.rows("SELECT count(*) FROM pragma_table_info('_migrations')") == [[3]])
    }

    @Test("a table of that name with other columns is refused, not altered")
    func incompatibleTable() throws {
        let p = TempProject()
        try Connection(path: p.database).execute("CREATE TABLE _migrations (version INTEGER)")
        p.write("001_a.sql", "CREATE TABLE a (x);")
        guard case .incompatibleTrackingTable? = p.migrate().error else { Issue.record("accepted a foreign table"); return }
        #expect(try p.rows("SELECT count(*) FROM pragma_table_info('_migrations')") == [[1]])
        #expect(try p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'a'") == [[0]])
    }

    @Test("a configurable table name, quoted wherever it is used")
    func customTableName() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (x);")
        #expect(p.migrate { $0.table = TrackingTable(name: "schema \"history\"") }.error == nil)
        #expect(try p.rows("SELECT filename FROM \"schema \"\"history\"\"\"") == [["001_a.sql"]])
    }

    @Test("reset forgets what rollback kept: the row's record and the migration's copies of data")
    func resetDropsRollbackCopies() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (x); INSERT INTO a VALUES (1), (2);")
        p.write("002_drop.sql", "DROP TABLE a;")
        #expect(p.migrate { $0.table = TrackingTable(name: "history") }.error == nil)
        #expect(try p.copies("snap") == 1)
        #expect(try p.rows("SELECT json_extract(rollback_record, '$.snapshots[0].table') FROM history WHERE filename = '002_drop.sql'") == [["a"]])
        try TrackingTable(name: "history").reset("002_drop.sql", opener: DatabaseOpener(path: p.database))
        #expect(try p.copies("snap") == 0)
        #expect(try p.rows("SELECT filename FROM history") == [["001_a.sql"]])
    }

    @Test("reset deletes exactly one row by bound parameter; hostile names match nothing")
    func resetIsExact() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (x);")
        p.write("002_b.sql", "CREATE TABLE b (x);")
        p.migrate()
        let table = TrackingTable()
        let opener = DatabaseOpener(path: p.database)
        for hostile in ["' OR '1'='1", "%", "001_a.sql'; DROP TABLE _migrations; --", "001_a"] {
            #expect(throws: MigrationError.self) { try table.reset(hostile, opener: opener) }
        }
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql"])
        try table.reset("002_b.sql", opener: opener)
        #expect(try p.tracked() == ["001_a.sql"])
        let rerun = p.migrate()  // b runs again; its CREATE TABLE b is tolerated as "already exists"
        #expect(rerun.summary.applied == 1 && rerun.summary.tolerated == 1)
    }
}
