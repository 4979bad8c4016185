import Foundation
import SQLiteKit
import Testing

@Suite("-- requires: through the commands")
struct PrerequisiteCommandTests {
    @Test("validate and status show a broken header; migrate exits 2 naming file:line:column; rollback --cascade undoes dependents first")
    func commands() throws {
        let cli = CLI()
        cli.migration("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);")
        cli.migration("002_lines.sql", "-- requires: 001_orders, 003_later\nCREATE TABLE lines (order_id);")
        cli.migration("003_later.sql", "CREATE TABLE later (v);")
        let validate = try cli.run("validate", "--db", "app.db")
        #expect(validate.status == 1)
        #expect(validate.stdout.contains("error: 002_lines.sql: line 1: requires 003_later.sql, which sorts after it"), "\(validate.stdout)")
        let migrate = try cli.run("migrate", "--db", "app.db")
        #expect(migrate.status == 2)
        #expect(migrate.stderr.contains("migrations/002_lines.sql:1:26: error: requires 003_later.sql"), "\(migrate.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        #expect(try cli.run("status", "--db", "app.db").stdout.contains("REQUIRES 002_lines.sql: requires 003_later.sql"))

        cli.migration("002_lines.sql", "-- requires: 001_orders\nCREATE TABLE lines (order_id);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        let refused = try cli.run("rollback", "--db", "app.db", "--migration", "001_orders.sql")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("001_orders.sql is still required by 002_lines.sql"), "\(refused.stderr)")
        let cascaded = try cli.run("rollback", "--db", "app.db", "--migration", "1", "--cascade")  // by number, as --to takes it
        #expect(cascaded.status == 0, "\(cascaded.stderr)")
        #expect(try Connection(path: cli.database, mode: .readOnly).query("SELECT filename FROM _migrations") == [["003_later.sql"]])
    }
}
