import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("DatabaseSchema: one model read through SQLite's pragmas")
struct DatabaseSchemaTests {
    static let rich = """
        CREATE TABLE parent (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL COLLATE NOCASE DEFAULT 'x' CHECK (length(name) > 0),
          twice INT GENERATED ALWAYS AS (id * 2) STORED,
          UNIQUE (name),
          CHECK (id > 0)
        ) STRICT;
        CREATE TABLE child (
          a INTEGER, b INTEGER REFERENCES parent (id) ON DELETE CASCADE,
          PRIMARY KEY (b, a)
        ) WITHOUT ROWID;
        CREATE INDEX child_a ON child (a DESC) WHERE a > 1;
        CREATE UNIQUE INDEX parent_lower ON parent (lower(name));
        CREATE VIEW names AS SELECT name, twice FROM parent;
        CREATE TRIGGER parent_gone AFTER DELETE ON parent BEGIN DELETE FROM child WHERE b = old.id; END;
        CREATE TABLE _migrations (id INTEGER PRIMARY KEY, filename TEXT UNIQUE);
        CREATE TABLE _slipway_rollback (x);
        PRAGMA user_version = 7;
        """

    func read(_ sql: String) throws -> DatabaseSchema {
        let db = try Connection(path: ":memory:")
        try db.execute(sql)
        return try DatabaseSchema.read(db, excluding: "_migrations")
    }

    @Test("columns carry type, NOT NULL, default, collation, primary key and generated expression")
    func columns() throws {
        let parent = try #require(try read(Self.rich).table("parent"))
        #expect(parent.columns.map(\.name) == ["id", "name", "twice"])
        let name = try #require(parent.column("NAME"))
        #expect(name.type == "TEXT" && name.notNull && name.defaultSQL == "'x'" && name.collation == "NOCASE")
        #expect(parent.column("id")?.primaryKey == 1)
        #expect(parent.column("twice")?.kind == .storedGenerated)
        #expect(parent.column("twice")?.generatedAs == "id * 2")
        #expect(parent.checks == ["length(name) > 0", "id > 0"])
        #expect(parent.strict && parent.autoincrement && !parent.withoutRowID)
    }

    @Test("foreign keys, WITHOUT ROWID and a composite primary key")
    func foreignKeys() throws {
        let child = try #require(try read(Self.rich).table("child"))
        #expect(child.withoutRowID && !child.strict && !child.autoincrement)
        #expect(child.primaryKey == ["b", "a"])
        #expect(child.foreignKeys == [SchemaForeignKey(columns: ["b"], parent: "parent", parentColumns: ["id"],
                                                       onUpdate: "NO ACTION", onDelete: "CASCADE", match: "NONE")])
        #expect(child.foreignKeys[0].cascadesOnDelete)
    }

    @Test("indexes: keys, expressions, partial, unique, and SQLite's own constraint indexes")
    func indexes() throws {
        let schema = try read(Self.rich)
        let partial = try #require(schema.indexes.first { $0.name == "child_a" })
        #expect(partial.partial && !partial.unique && partial.origin == .createIndex)
        #expect(partial.keys == [SchemaIndex.Key(column: "a", descending: true, collation: "BINARY")])
        let expression = try #require(schema.indexes.first { $0.name == "parent_lower" })
        #expect(expression.unique && expression.keys.map(\.column) == [nil])
        let own = schema.indexes(on: "parent").filter { $0.origin == .unique }
        #expect(own.count == 1 && own[0].sql == nil && own[0].keys.map(\.column) == ["name"])
        // A WITHOUT ROWID table is its primary key's index: no index of its own in sqlite_schema.
        #expect(schema.indexes(on: "child").map(\.name) == ["child_a"])
    }

    @Test("views, triggers and user_version; the tracking table, _slipway_* and sqlite_* are left out")
    func objects() throws {
        let schema = try read(Self.rich)
        #expect(schema.views.map(\.name) == ["names"] && schema.views[0].columns == ["name", "twice"])
        #expect(schema.triggers.map(\.name) == ["parent_gone"] && schema.triggers[0].table == "parent")
        #expect(schema.userVersion == 7)
        #expect(schema.tables.map(\.name) == ["child", "parent"])
        #expect(!schema.indexes.contains { $0.table.hasPrefix("_") })
    }

    @Test("two databases with one schema are equal though their pages differ")
    func pagesDoNotCount() throws {
        let a = try read("CREATE TABLE x (a); CREATE TABLE y (b); CREATE INDEX yb ON y (b)")
        let b = try read("CREATE TABLE y (b); CREATE TABLE filler (z); CREATE INDEX yb ON y (b); DROP TABLE filler; CREATE TABLE x (a)")
        #expect(a == b)
        #expect(a != (try read("CREATE TABLE x (a); CREATE TABLE y (b)")))
    }
}
