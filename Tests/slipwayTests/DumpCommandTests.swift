import Foundation
import Testing
import SQLiteKit

@Suite("slipway dump and database.schema_file")
struct DumpCommandTests {
    func migrated() throws -> CLI {
        let cli = CLI()
        cli.migration("001_a.sql", """
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customers (id));
            CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
            CREATE INDEX orders_customer ON orders (customer);
            CREATE VIEW names AS SELECT name FROM customers;
            PRAGMA user_version = 3;
            """)
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        return cli
    }

    @Test("dump prints the schema in dependency order, without slipway's tables; twice the same bytes")
    func dump() throws {
        let cli = try migrated()
        let first = try cli.run("dump", "--db", "app.db")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == """
            PRAGMA user_version = 3;

            CREATE TABLE customers (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              name TEXT NOT NULL
            );

            CREATE TABLE orders (
              id INTEGER PRIMARY KEY,
              customer INTEGER REFERENCES customers(id)
            );
            CREATE INDEX orders_customer ON orders(customer);

            CREATE VIEW names AS SELECT name FROM customers;

            """)
        #expect(try cli.run("dump", "--db", "app.db").stdout == first.stdout)
    }

    @Test("dump of a missing database exits 2 and creates nothing")
    func missing() throws {
        let cli = CLI()
        let result = try cli.run("dump", "--db", "nothing.db")
        #expect(result.status == 2)
        #expect(result.stderr.contains("nothing.db") && result.stderr.contains("does not exist"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/nothing.db"))
    }

    @Test("migrate rewrites schema_file after a run that applied something, and leaves it alone otherwise")
    func schemaFile() throws {
        let cli = CLI()
        cli.write("deploy.yml", "database:\n  path: app.db\n  schema_file: db/schema.sql\n")
        try FileManager.default.createDirectory(atPath: cli.root + "/db", withIntermediateDirectories: true)
        cli.migration("001_a.sql", "CREATE TABLE a (x);")
        let run = try cli.run("migrate", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.jsonLines.contains { $0["event"] as? String == "schema" && $0["path"] as? String == "db/schema.sql" })
        #expect(cli.read("db/schema.sql") == "CREATE TABLE a (\n  x\n);\n")
        #expect(cli.read("db/schema.sql") == (try cli.run("dump")).stdout)
        cli.write("db/schema.sql", "edited by hand\n")
        #expect(try cli.run("migrate").status == 0)
        #expect(cli.read("db/schema.sql") == "edited by hand\n", "a run that applied nothing does not rewrite it")
        cli.migration("002_b.sql", "CREATE TABLE b (y);")
        let human = try cli.run("migrate")
        #expect(human.stdout.contains("SCHEMA   db/schema.sql rewritten"), "\(human.stdout)")
        #expect(cli.read("db/schema.sql") == "CREATE TABLE a (\n  x\n);\n\nCREATE TABLE b (\n  y\n);\n")
    }
}
