import Foundation
import Testing
import SQLiteKit

@Suite("slipway lint and migrate --dry-run's findings")
struct LintCommandTests {
    func project() throws -> CLI {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE a (x, y); INSERT INTO a VALUES (1, 1), (1, 2);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        return cli
    }

    @Test("warnings exit 0, --strict exits 1, the database is not written")
    func warnings() throws {
        let cli = try project()
        cli.migration("002_b.sql", "-- drop y\nALTER TABLE a DROP COLUMN y;\n")
        let before = FileManager.default.contents(atPath: cli.database)
        let result = try cli.run("lint", "--db", "app.db")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("migrations/002_b.sql:2:1: warning: drops a column of a (2 rows): its values are gone [drop-column]"), "\(result.stdout)")
        #expect(result.stdout.contains("1 finding (0 errors) in 1 pending migration"), "\(result.stdout)")
        #expect(try cli.run("lint", "--db", "app.db", "--strict").status == 1)
        #expect(FileManager.default.contents(atPath: cli.database) == before)
    }

    @Test("a migration that cannot succeed exits 1; --json gives one object per finding and a summary")
    func errors() throws {
        let cli = try project()
        cli.migration("002_b.sql", "CREATE UNIQUE INDEX ax ON a (x);")
        let result = try cli.run("lint", "--db", "app.db", "--json")
        #expect(result.status == 1)
        let finding = try #require(result.jsonLines.first)
        #expect(finding["event"] as? String == "finding" && finding["code"] as? String == "unique-duplicates")
        #expect(finding["file"] as? String == "migrations/002_b.sql" && finding["line"] as? Int == 1 && finding["severity"] as? String == "error")
        #expect(result.jsonLines.last?["event"] as? String == "summary" && result.jsonLines.last?["errors"] as? Int == 1)
    }

    @Test("a down section's finding: its line in the text, the plain path and section \"down\" in --json")
    func downSection() throws {
        let cli = try project()
        cli.migration("002_b.sql", "-- migrate:up\nCREATE TABLE b (x);\n-- migrate:down\nDROP TABLE nope;\n")
        let text = try cli.run("lint", "--db", "app.db")
        #expect(text.status == 0 && text.stdout.contains("migrations/002_b.sql (down section):4:1: warning: the down section fails after the up"),
                "\(text.stdout)")
        let json = try cli.run("lint", "--db", "app.db", "--json")
        let finding = try #require(json.jsonLines.first)
        #expect(finding["code"] as? String == "down-fails" && finding["file"] as? String == "migrations/002_b.sql")
        #expect(finding["section"] as? String == "down" && finding["line"] as? Int == 4)
    }

    @Test("nothing pending, nothing to say")
    func clean() throws {
        let cli = try project()
        let result = try cli.run("lint", "--db", "app.db")
        #expect(result.status == 0 && result.stdout == "No pending migrations to lint.\n")
    }

    @Test("migrate --dry-run shows the findings and still changes nothing")
    func dryRun() throws {
        let cli = try project()
        cli.migration("002_b.sql", "DROP TABLE a;")
        let result = try cli.run("migrate", "--db", "app.db", "--dry-run")
        #expect(result.status == 0)
        #expect(result.stdout.contains("migrations/002_b.sql:1:1: warning: drops a with its 2 rows [drop-table]"), "\(result.stdout)")
        #expect(try cli.query("SELECT count(*) FROM a") == [[.integer(2)]])
    }
}
