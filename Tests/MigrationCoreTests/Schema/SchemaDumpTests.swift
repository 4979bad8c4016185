import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("DatabaseSchema.dump: normalized SQL in dependency order")
struct SchemaDumpTests {
    func schema(_ sql: String) throws -> DatabaseSchema {
        let db = try Connection(path: ":memory:")
        try db.execute(sql)
        return try DatabaseSchema.read(db, excluding: "_migrations")
    }

    @Test("the dump run in an empty database gives the same model and the same dump")
    func roundTrip() throws {
        let original = try schema(DatabaseSchemaTests.rich)
        let again = try schema(original.dump)
        #expect(again == original)
        #expect(again.dump == original.dump)
        #expect(!original.dump.contains("_migrations") && !original.dump.contains("_slipway") && !original.dump.contains("sqlite_"))
        #expect(original.dump.hasPrefix("PRAGMA user_version = 7;\n"))
    }

    @Test("a read of the definitions only dumps exactly like a full read")
    func definitionsOnly() throws {
        let db = try Connection(path: ":memory:")
        try db.execute(DatabaseSchemaTests.rich + "CREATE TABLE z (a REFERENCES parent (id)); CREATE VIEW w AS SELECT * FROM names;")
        let light = try DatabaseSchema.read(db, excluding: "_migrations", detail: .definitions)
        #expect(light.dump == (try DatabaseSchema.read(db, excluding: "_migrations")).dump)
        #expect(light.tables.allSatisfy { $0.columns.isEmpty })
    }

    @Test("parents before children, views after the views they read, whatever the names")
    func order() throws {
        let dump = try schema("""
            CREATE TABLE a_child (p REFERENCES z_parent (id));
            CREATE TABLE z_parent (id INTEGER PRIMARY KEY);
            CREATE VIEW z_base AS SELECT id FROM z_parent;
            CREATE VIEW a_top AS SELECT id FROM z_base;
            CREATE INDEX child_p ON a_child (p);
            """).dump
        #expect(dump == """
            CREATE TABLE z_parent (
              id INTEGER PRIMARY KEY
            );

            CREATE TABLE a_child (
              p REFERENCES z_parent(id)
            );
            CREATE INDEX child_p ON a_child(p);

            CREATE VIEW z_base AS SELECT id FROM z_parent;

            CREATE VIEW a_top AS SELECT id FROM z_base;

            """)
    }

    @Test("tables that refer to each other are dumped by name, and run in an empty database")
    func cycle() throws {
        let original = try schema("CREATE TABLE b (a REFERENCES a); CREATE TABLE a (b REFERENCES b);")
        #expect(original.dump.hasPrefix("CREATE TABLE a"))
        #expect(try schema(original.dump) == original)
    }

    @Test("a table changed by ALTER TABLE ADD COLUMN dumps like the same table written at once")
    func addColumn() throws {
        let altered = try schema("CREATE TABLE t (\n  a INTEGER, -- first\n  UNIQUE (a)\n); ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'")
        #expect(altered.dump == (try schema("CREATE TABLE t (a INTEGER, b TEXT DEFAULT 'x', UNIQUE (a))")).dump)
    }

    @Test("an empty schema dumps to nothing")
    func empty() throws {
        #expect(try schema("CREATE TABLE _migrations (id)").dump == "")
    }
}
