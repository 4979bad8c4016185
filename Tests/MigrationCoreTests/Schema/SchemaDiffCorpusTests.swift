import Testing
import SQLiteKit
@testable import MigrationCore

/// Schema pairs from simple to nasty: each is diffed, migrated, checked against
/// the desired dump with every row kept, and rolled back to the identical state.
@Suite("diff corpus: migrate reaches the desired schema, keeps rows, rolls back")
struct SchemaDiffCorpusTests {
    static let people = "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age INTEGER);"
    static let peopleRows = "INSERT INTO people VALUES (1, 'ada', 36), (2, 'bo', NULL), (3, 'cy', 7);"
    static let family = """
        CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id) ON DELETE CASCADE, name TEXT);
        """
    static let familyRows = "INSERT INTO parents VALUES (1, 'p1'), (2, 'p2'); INSERT INTO kids VALUES (1, 1, 'k1'), (2, 1, 'k2'), (3, 2, 'k3');"

    static let cases: [DiffCase] = [
        DiffCase(name: "add a table", current: people, rows: peopleRows, desired: people + "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT UNIQUE);"),
        DiffCase(name: "drop a table with rows", current: people + "CREATE TABLE old (x);", rows: "INSERT INTO old VALUES (1), (2);", desired: people),
        DiffCase(name: "add a nullable column", current: people, rows: peopleRows, desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age INTEGER, email TEXT);"),
        DiffCase(name: "add a NOT NULL column with a default", current: people, rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age INTEGER, role TEXT NOT NULL DEFAULT 'user');"),
        DiffCase(name: "add a column in the middle (rebuild)", current: people, rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, nick TEXT, name TEXT, age INTEGER);"),
        DiffCase(name: "drop a column", current: people, rows: peopleRows, desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);"),
        // Decided on the whole scratch schema: other objects name the column (the others are tried on the table alone).
        DiffCase(name: "drop a column an index uses", current: people + " CREATE INDEX people_age ON people (age);", rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);"),
        DiffCase(name: "drop a column a trigger uses", current: people + " CREATE TABLE log (x); "
                    + "CREATE TRIGGER people_up AFTER UPDATE ON people BEGIN INSERT INTO log VALUES (new.age); END;", rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE log (x); "
                    + "CREATE TRIGGER people_up AFTER UPDATE ON people BEGIN INSERT INTO log VALUES (new.name); END;"),
        DiffCase(name: "change a column's type", current: people, rows: peopleRows, desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age REAL);"),
        DiffCase(name: "change a default", current: "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT DEFAULT 'x');", rows: "INSERT INTO t VALUES (1, 'y');",
                 desired: "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT DEFAULT 'z');"),
        DiffCase(name: "make a column NOT NULL", current: people, rows: "INSERT INTO people VALUES (1, 'ada', 3);",
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);"),
        DiffCase(name: "add a CHECK", current: people, rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT CHECK (length(name) > 1), age INTEGER);"),
        DiffCase(name: "change a collation", current: people, rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, age INTEGER);"),
        DiffCase(name: "change the primary key", current: "CREATE TABLE m (a INTEGER, b INTEGER, PRIMARY KEY (a));", rows: "INSERT INTO m VALUES (1, 1), (2, 1);",
                 desired: "CREATE TABLE m (a INTEGER, b INTEGER, PRIMARY KEY (a, b));"),
        DiffCase(name: "add a foreign key", current: "CREATE TABLE parents (id INTEGER PRIMARY KEY); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER);",
                 rows: "INSERT INTO parents VALUES (1); INSERT INTO kids VALUES (1, 1);",
                 desired: "CREATE TABLE parents (id INTEGER PRIMARY KEY); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id));"),
        DiffCase(name: "drop a foreign key", current: family, rows: familyRows,
                 desired: "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER, name TEXT);"),
        DiffCase(name: "rebuild a parent whose children cascade on delete", current: family, rows: familyRows,
                 desired: "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT ''); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id) ON DELETE CASCADE, name TEXT);"),
        DiffCase(name: "rebuild a child", current: family, rows: familyRows,
                 desired: "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id) ON DELETE SET NULL, name TEXT);"),
        DiffCase(name: "a trigger on a rebuilt table", current: people + "CREATE TABLE log (what TEXT); CREATE TRIGGER people_log AFTER INSERT ON people BEGIN INSERT INTO log VALUES (new.name); END;",
                 rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', age INTEGER); CREATE TABLE log (what TEXT); CREATE TRIGGER people_log AFTER INSERT ON people BEGIN INSERT INTO log VALUES (new.name); END;"),
        DiffCase(name: "a view over a changed column", current: people + "CREATE VIEW adults AS SELECT name, age FROM people WHERE age >= 18;", rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age REAL); CREATE VIEW adults AS SELECT name, age FROM people WHERE age >= 18;"),
        DiffCase(name: "a view over a view over a dropped column",
                 current: people + "CREATE VIEW named AS SELECT id, name, age FROM people; CREATE VIEW top AS SELECT name FROM named;", rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT); CREATE VIEW named AS SELECT id, name FROM people; CREATE VIEW top AS SELECT name FROM named;"),
        DiffCase(name: "make a table STRICT", current: people, rows: peopleRows, desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age INTEGER) STRICT;"),
        DiffCase(name: "make a table WITHOUT ROWID", current: "CREATE TABLE kv (k TEXT PRIMARY KEY, v);", rows: "INSERT INTO kv VALUES ('a', 1), ('b', X'00');",
                 desired: "CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID;"),
        DiffCase(name: "give a table its rowid back", current: "CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID;", rows: "INSERT INTO kv VALUES ('a', 1), ('b', 2);",
                 desired: "CREATE TABLE kv (k TEXT PRIMARY KEY, v);"),
        DiffCase(name: "add a virtual generated column", current: people, rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age INTEGER, shout TEXT AS (upper(name)) VIRTUAL);"),
        DiffCase(name: "add a stored generated column", current: people, rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age INTEGER, twice INTEGER AS (age * 2) STORED);"),
        DiffCase(name: "add AUTOINCREMENT", current: people, rows: peopleRows, desired: "CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, age INTEGER);"),
        DiffCase(name: "rebuild an AUTOINCREMENT table keeps its counter",
                 current: "CREATE TABLE seq (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);",
                 rows: "INSERT INTO seq (v) VALUES ('a'), ('b'), ('c'); DELETE FROM seq WHERE id = 3;",
                 desired: "CREATE TABLE seq (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL DEFAULT '');"),
        DiffCase(name: "rowids of a table without an INTEGER PRIMARY KEY survive a rebuild",
                 current: "CREATE TABLE notes (body TEXT);", rows: "INSERT INTO notes (rowid, body) VALUES (10, 'x'), (20, 'y');",
                 desired: "CREATE TABLE notes (body TEXT NOT NULL DEFAULT '');"),
        DiffCase(name: "indexes added, dropped and made unique",
                 current: people + "CREATE INDEX people_name ON people (name); CREATE INDEX people_age ON people (age);", rows: peopleRows,
                 desired: people + "CREATE UNIQUE INDEX people_name ON people (name); CREATE INDEX people_both ON people (name, age DESC);"),
        DiffCase(name: "partial and expression indexes", current: people, rows: peopleRows,
                 desired: people + "CREATE INDEX people_adult ON people (age) WHERE age >= 18; CREATE INDEX people_lower ON people (lower(name));"),
        DiffCase(name: "views added, dropped and changed",
                 current: people + "CREATE VIEW a AS SELECT name FROM people; CREATE VIEW b AS SELECT age FROM people;", rows: peopleRows,
                 desired: people + "CREATE VIEW a AS SELECT name, age FROM people; CREATE VIEW c AS SELECT id FROM people;"),
        DiffCase(name: "triggers added, dropped and changed",
                 current: people + "CREATE TABLE log (w); CREATE TRIGGER t1 AFTER INSERT ON people BEGIN INSERT INTO log VALUES (1); END; CREATE TRIGGER t2 AFTER DELETE ON people BEGIN INSERT INTO log VALUES (2); END;",
                 rows: peopleRows,
                 desired: people + "CREATE TABLE log (w); CREATE TRIGGER t1 AFTER INSERT ON people BEGIN INSERT INTO log VALUES (10); END; CREATE TRIGGER t3 AFTER UPDATE ON people BEGIN INSERT INTO log VALUES (3); END;"),
        DiffCase(name: "a table renamed with --rename", current: family, rows: familyRows,
                 desired: "CREATE TABLE folks (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES folks (id) ON DELETE CASCADE, name TEXT);",
                 renames: [SchemaRename(old: "parents", new: "folks")]),
        DiffCase(name: "a column renamed with --rename", current: people + "CREATE INDEX people_name ON people (name);", rows: peopleRows,
                 desired: "CREATE TABLE people (id INTEGER PRIMARY KEY, full_name TEXT, age INTEGER); CREATE INDEX people_name ON people (full_name);",
                 renames: [SchemaRename(table: "people", old: "name", new: "full_name")]),
        DiffCase(name: "user_version", current: people, rows: peopleRows, desired: people + "PRAGMA user_version = 4;"),
        DiffCase(name: "a self-referencing table rebuilt",
                 current: "CREATE TABLE nodes (id INTEGER PRIMARY KEY, up INTEGER REFERENCES nodes (id) ON DELETE CASCADE);",
                 rows: "INSERT INTO nodes VALUES (1, NULL), (2, 1), (3, 2);",
                 desired: "CREATE TABLE nodes (id INTEGER PRIMARY KEY, up INTEGER REFERENCES nodes (id) ON DELETE CASCADE, label TEXT NOT NULL DEFAULT '');"),
        DiffCase(name: "foreign keys both ways, one side rebuilt",
                 current: "CREATE TABLE a (id INTEGER PRIMARY KEY, b INTEGER REFERENCES b (id)); CREATE TABLE b (id INTEGER PRIMARY KEY, a INTEGER REFERENCES a (id) ON DELETE CASCADE);",
                 rows: "INSERT INTO a VALUES (1, NULL); INSERT INTO b VALUES (1, 1); UPDATE a SET b = 1;",
                 desired: "CREATE TABLE a (id INTEGER PRIMARY KEY, b INTEGER REFERENCES b (id), note TEXT DEFAULT 'n' NOT NULL); CREATE TABLE b (id INTEGER PRIMARY KEY, a INTEGER REFERENCES a (id) ON DELETE CASCADE);"),
        DiffCase(name: "everything at once", current: family + people + "CREATE INDEX kids_parent ON kids (parent); CREATE VIEW k AS SELECT name FROM kids;",
                 rows: familyRows + peopleRows,
                 desired: "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT, born INTEGER); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id) ON DELETE CASCADE, name TEXT NOT NULL DEFAULT '') STRICT; CREATE INDEX kids_parent ON kids (parent, name); CREATE VIEW k AS SELECT name, parent FROM kids; CREATE TABLE tags (t TEXT PRIMARY KEY) WITHOUT ROWID;"),
    ]

    @Test("round trip", arguments: cases)
    func roundTrip(_ c: DiffCase) throws {
        try TempProject().roundTrip(c)
    }

    @Test("the corpus holds at least 30 pairs")
    func size() { #expect(Self.cases.count >= 30) }
}
