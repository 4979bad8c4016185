import Foundation
import Testing
import SQLiteKit

@Suite("slipway diff")
struct DiffCommandTests {
    func project() throws -> CLI {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE a (x); INSERT INTO a VALUES (1);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        return cli
    }

    @Test("writes the next migration; migrate then gives schema.sql's dump")
    func writes() throws {
        let cli = try project()
        cli.write("schema.sql", "CREATE TABLE a (x, y TEXT);\nCREATE TABLE b (z);\n")
        let result = try cli.run("diff", "--db", "app.db", "--to", "schema.sql", "--name", "grow")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Created migrations/002_grow.sql (2 statements up; 2 statements down)"), "\(result.stdout)")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        #expect(try cli.run("dump", "--db", "app.db").stdout == "CREATE TABLE a (\n  x,\n  y TEXT\n);\n\nCREATE TABLE b (\n  z\n);\n")
        #expect(try cli.query("SELECT x FROM a") == [[.integer(1)]])
    }

    @Test("nothing to change: says so, exits 0, writes no file")
    func nothing() throws {
        let cli = try project()
        cli.write("schema.sql", "CREATE TABLE a (x);")
        let result = try cli.run("diff", "--db", "app.db", "--to", "schema.sql")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Nothing to do"), "\(result.stdout)")
        #expect(cli.files(in: "migrations") == ["001_a.sql"])
    }

    @Test("an error in schema.sql: file:line:column, exit 2, nothing written")
    func badSchema() throws {
        let cli = try project()
        cli.write("schema.sql", "CREATE TABLE a (x);\nCREATE TABEL b (y);\n")
        let result = try cli.run("diff", "--db", "app.db", "--to", "schema.sql")
        #expect(result.status == 2)
        #expect(result.stderr.contains("schema.sql:2:8: error: near \"TABEL\": syntax error"), "\(result.stderr)")
        #expect(cli.files(in: "migrations") == ["001_a.sql"])
    }

    @Test("a malformed --rename is a usage error")
    func badRename() throws {
        let cli = try project()
        cli.write("schema.sql", "CREATE TABLE a (x);")
        let result = try cli.run("diff", "--db", "app.db", "--to", "schema.sql", "--rename", "a")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--rename a: expected old:new"), "\(result.stderr)")
    }
}
