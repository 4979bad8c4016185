import Foundation
import Testing
import SQLiteKit

@Suite("The sql.js runner's databases and files keep working")
struct SqljsCompatibilityTests {
    /// The repository's example migrations folder.
    static let examples: String = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("migrations").path
    }()

    @Test("a database the sql.js runner migrated through 003 is adopted and brought up to date")
    func adoptsRunnerDatabase() throws {
        let cli = CLI()
        // What run-all-migrations.mjs leaves: its three-column table, rows without checksums,
        // and the effects of 001–003 (applied here statement by statement, as it did).
        let db = try Connection(path: cli.database)
        try db.execute("CREATE TABLE _migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT UNIQUE NOT NULL, applied_at INTEGER NOT NULL)")
        for name in ["001_create_users.sql", "002_add_user_roles.sql", "003_create_sessions.sql"] {
            try db.execute(try String(contentsOfFile: Self.examples + "/" + name, encoding: .utf8))
            try db.query("INSERT INTO _migrations (filename, applied_at) VALUES (?, 1729468800)", [.text(name)])
        }
        try db.execute("INSERT INTO users (username, email) VALUES ('Ada', 'ADA@example.com')")
        let result = try cli.run("migrate", "--db", "app.db", "--dir", Self.examples, "--json")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let skips = result.jsonLines.filter { $0["event"] as? String == "skip" }.compactMap { $0["reason"] as? String }
        #expect(skips == ["adopted", "adopted", "adopted"])
        #expect(try cli.query("SELECT filename, applied_at, checksum IS NULL FROM _migrations WHERE id <= 3")
            == [["001_create_users.sql", 1729468800, 1], ["002_add_user_roles.sql", 1729468800, 1], ["003_create_sessions.sql", 1729468800, 1]])
        #expect(try cli.query("SELECT email, full_name FROM users") == [["ada@example.com", "Ada"]])
        #expect(try cli.query("SELECT display_name FROM active_users") == [["Ada"]])
        let status = try cli.run("status", "--db", "app.db", "--dir", Self.examples, "--json")
        #expect(status.jsonLines.last?["adopted"] as? Int == 3)
        #expect(try cli.run("validate", "--db", "app.db", "--dir", Self.examples).status == 0)
    }

    @Test("the example set applies on a fresh database, and twice is a no-op")
    func examplesApply() throws {
        let cli = CLI()
        #expect(try cli.run("migrate", "--db", "app.db", "--dir", Self.examples).status == 0)
        let again = try cli.run("migrate", "--db", "app.db", "--dir", Self.examples, "--json")
        #expect(again.jsonLines.last?["applied"] as? Int == 0)
        // The trigger of 005 works: a role change is audited.
        let db = try Connection(path: cli.database, mode: .readWrite)
        try db.execute("INSERT INTO users (username, email) VALUES ('bo', 'bo@x'); UPDATE users SET role = 'admin'")
        #expect(try db.query("SELECT note FROM audit_log WHERE action = 'role'") == [["user -> admin"]])
        #expect(try db.query("SELECT note FROM audit_log WHERE action = 'created'") == [["audit log started; entries are kept -- forever"]])
    }
}
