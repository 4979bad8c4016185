import Foundation
import Logging
import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("Rehearsal on a copy")
struct RehearsalTests {
    func rehearse(_ p: TempProject) throws -> [RehearsalFinding] {
        try Rehearsal(directory: MigrationDirectory(path: p.migrations), database: DatabaseOpener(path: p.database),
                      scratchFolder: p.root + "/.slipway/rehearsal", logger: Logger(label: "test"), events: { _ in }).run()
    }

    @Test("a migration that fails on the real rows is reported; the original stays byte-identical")
    func failsOnRealData() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (email) VALUES ('a@x'), ('a@x');")
        p.migrate()
        p.write("002_unique.sql", "CREATE UNIQUE INDEX users_email ON users(email);")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: p.database))
        let findings = try rehearse(p)
        #expect(findings.count == 1)
        #expect(findings.first?.filename == "002_unique.sql")
        #expect(findings.first?.problem.contains("UNIQUE constraint failed") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: p.database)) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: p.root + "/.slipway/rehearsal").isEmpty)
    }

    @Test("before the first deploy (no database yet) it rehearses on an empty database and creates none")
    func noDatabaseYet() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);")
        p.write("002_b.sql", "INSERT INTO users (email) VALUES ('a@x'), ('a@x');")
        let findings = try rehearse(p)
        #expect(findings.map(\.filename) == ["002_b.sql"], "the empty database still runs every file: the duplicate is found")
        #expect(!FileManager.default.fileExists(atPath: p.database), "no database is created")
        p.write("002_b.sql", "INSERT INTO users (email) VALUES ('a@x');")
        #expect(try rehearse(p).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: p.database))
    }

    @Test("a down section that leaves a table behind is reported")
    func downLeavesTable() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);")
        p.migrate()
        p.write("002_b.sql", "-- migrate:up\nCREATE TABLE invoices (id INTEGER PRIMARY KEY);\nCREATE TABLE lines (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE invoices;\n")
        let findings = try rehearse(p)
        #expect(findings.map(\.filename) == ["002_b.sql"])
        #expect(findings.first?.problem.contains("left behind by rollback: CREATE TABLE lines") == true)
        #expect(try p.tracked() == ["001_a.sql"])
    }

    @Test("pending migrations that apply and reverse cleanly give no findings")
    func clean() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        p.migrate()
        p.write("002_b.sql", "ALTER TABLE users ADD COLUMN nick TEXT; UPDATE users SET nick = name;")
        p.write("003_c.sql", "DROP VIEW user_posts; DROP TABLE posts;")
        #expect(try rehearse(p).isEmpty)
    }
}
