import Foundation
import Testing
import SQLiteKit
@testable import MigrationCore

/// A database with data in tables with and without primary keys, foreign keys,
/// an index, a view, a trigger and an AUTOINCREMENT table.
let rollbackSetup = """
    CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, email TEXT, score REAL, avatar BLOB);
    CREATE INDEX users_email ON users(email);
    CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT, CHECK (length(title) > 0));
    CREATE TABLE events (kind TEXT, at INTEGER);
    CREATE TABLE audit (note TEXT);
    CREATE TRIGGER users_audit AFTER UPDATE ON users BEGIN INSERT INTO audit VALUES ('user ' || new.id); END;
    CREATE VIEW user_posts AS SELECT u.name, p.title FROM users u JOIN posts p ON p.user_id = u.id;
    INSERT INTO users (name, email, score, avatar) VALUES ('ada', 'ADA@X', 1.5, X'00FF'), ('bo', NULL, 2, NULL), ('cy', 'cy@x', NULL, X'');
    INSERT INTO posts VALUES (1, 1, 'first'), (2, 1, 'second'), (3, 2, 'third');
    INSERT INTO events VALUES ('login', 1), ('login', 1), ('logout', 2);
    """

@Suite("Rollback through generated reverse migrations")
struct RollbackerTests {
    @Test("up then rollback gives back the identical schema and every row", arguments: [
        ("create table with index and rows", "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT UNIQUE); CREATE INDEX tags_label ON tags(label); INSERT INTO tags VALUES (1, 'a');"),
        ("drop table with rows", "DROP TABLE posts;"),
        ("drop table without a primary key", "DROP VIEW user_posts; DROP TABLE events;"),
        ("rename table", "ALTER TABLE posts RENAME TO articles; INSERT INTO articles VALUES (9, 2, 'after rename');"),
        ("add column and backfill", "ALTER TABLE users ADD COLUMN role TEXT DEFAULT 'user'; UPDATE users SET role = 'admin' WHERE id = 1;"),
        ("drop column", "DROP INDEX users_email; ALTER TABLE users DROP COLUMN email;"),
        ("rename column", "ALTER TABLE posts RENAME COLUMN title TO headline; UPDATE posts SET headline = upper(headline);"),
        ("index, view and trigger changes", "DROP INDEX users_email; CREATE INDEX users_name ON users(name); DROP VIEW user_posts; CREATE VIEW names AS SELECT name FROM users; DROP TRIGGER users_audit;"),
        ("rebuild with a CHECK", """
            DROP VIEW user_posts;
            CREATE TABLE posts_new (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT NOT NULL, CHECK (length(title) > 1));
            INSERT INTO posts_new SELECT id, user_id, title || '!' FROM posts;
            DROP TABLE posts;
            ALTER TABLE posts_new RENAME TO posts;
            CREATE VIEW user_posts AS SELECT u.name, p.title FROM users u JOIN posts p ON p.user_id = u.id;
            """),
        ("insert, update, delete", "INSERT INTO users (name) VALUES ('dee'); UPDATE users SET score = 9, avatar = X'01' WHERE id = 2; DELETE FROM posts WHERE id = 3;"),
        ("rows of a table without a primary key", "UPDATE events SET at = at + 1 WHERE kind = 'login'; DELETE FROM events WHERE kind = 'logout'; INSERT INTO events VALUES ('new', 3);"),
        ("update fires a trigger", "UPDATE users SET name = name || '!';"),
        ("data moves between tables", "CREATE TABLE profiles (user_id INTEGER PRIMARY KEY REFERENCES users(id), email TEXT); INSERT INTO profiles SELECT id, email FROM users; DROP INDEX users_email; ALTER TABLE users DROP COLUMN email;"),
        ("changed then dropped in one migration", "UPDATE posts SET title = 'x'; DROP VIEW user_posts; DROP TABLE posts;"),
        ("changed then altered in one migration", "UPDATE users SET score = 0; ALTER TABLE users ADD COLUMN flag INTEGER; UPDATE users SET flag = 1;"),
    ])
    func roundTrip(_ name: String, _ sql: String) throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_change.sql", sql)
        let up = p.migrate()
        #expect(up.error == nil, "\(name): \(String(describing: up.error))")
        #expect(try FullState(p.database) != before, "\(name) changed nothing")
        let down = p.rollback()
        #expect(down.error == nil, "\(name): \(String(describing: down.error))")
        for case .planned(_, _, let steps) in down.events {
            #expect(Set(steps.map(\.description)).count == steps.count, "\(name): a step repeats in \(steps)")
        }
        let after = try FullState(p.database)
        #expect(after.schema == before.schema, "\(name)")
        #expect(after.rows == before.rows, "\(name)")
        #expect(try p.tracked() == ["001_setup.sql"])
        #expect(try p.checksClean())
        #expect(try p.rows("SELECT count(*) FROM _migrations WHERE filename = '002_change.sql'") == [[0]])
        #expect(try p.copies("snap") == 0)
    }


    @Test("rows stored before ADD COLUMN … DEFAULT keep their default through a later migration's rollback, and counters stay put")
    func addedColumnDefaultsSurvive() throws {
        let p = TempProject()
        p.write("001_setup.sql", """
            CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a);
            INSERT INTO t (a) VALUES (1), (2), (3);
            DELETE FROM t WHERE id = 3;
            ALTER TABLE t ADD COLUMN d TEXT DEFAULT 'dflt';
            """)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        // Rows 1 and 2 are stored without d; some SQLite versions' sessions see NULL there.
        p.write("002_update.sql", "UPDATE t SET a = a * 10;")
        p.write("003_delete.sql", "DELETE FROM t WHERE id = 2;")
        p.write("004_rebuild.sql", "ALTER TABLE t ADD COLUMN e INTEGER;")
        #expect(p.migrate().error == nil)
        for _ in 0..<3 { #expect(p.rollback().error == nil) }
        #expect(try FullState(p.database) == before)
        #expect(try p.rows("SELECT id, d FROM t ORDER BY id") == [[1, "dflt"], [2, "dflt"]])
        #expect(try p.rows("SELECT seq FROM sqlite_sequence WHERE name = 't'") == [[3]])
    }
    @Test("an added column is dropped in place: rows stored before it are not copied and the file does not grow; a foreign key column takes the rebuild")
    func addedColumnDroppedInPlace() throws {
        let p = TempProject()
        p.write("001_setup.sql", """
            CREATE TABLE big (id INTEGER PRIMARY KEY, body TEXT);
            WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 5000) INSERT INTO big SELECT x, printf('%.200c', 'x') FROM s;
            """)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_flag.sql", """
            ALTER TABLE big ADD COLUMN flag INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE big ADD COLUMN note TEXT;
            CREATE INDEX big_flag ON big (flag);
            UPDATE big SET flag = 1, note = 'new' WHERE id > 4500;
            """)
        #expect(p.migrate().error == nil)
        let applied = try p.rows("PRAGMA page_count")[0][0].int ?? 0
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
        // A rebuild would have copied the table's 250-odd pages to new ones at the end of the file.
        #expect(try p.rows("PRAGMA page_count")[0][0].int ?? 0 <= applied)

        // SQLite does not drop a column with a foreign key: the rebuild gives the same result.
        p.write("003_owner.sql", "ALTER TABLE big ADD COLUMN owner INTEGER REFERENCES big (id); UPDATE big SET owner = 1 WHERE id < 10;")
        #expect(p.migrate().error == nil)
        #expect(p.rollback { $0.steps = 2 }.error == nil, "002 ran again with 003: both go")
        #expect(try FullState(p.database) == before)
    }

    @Test("columns added to STRICT, WITHOUT ROWID and generated-column tables drop in place and give back the exact text and rows")
    func addedColumnKindsDroppedInPlace() throws {
        let p = TempProject()
        p.write("001_setup.sql", """
            CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT;
            CREATE TABLE w (k TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
            CREATE TABLE g (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL);
            INSERT INTO s VALUES (1, 'x'), (2, 'y');
            INSERT INTO w VALUES ('a', 1), ('b', 2);
            INSERT INTO g (a) VALUES (1), (2);
            """)
        #expect(p.migrate().error == nil)
        let before = try FullState(p.database)
        p.write("002_add.sql", """
            ALTER TABLE s ADD COLUMN flag INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE w ADD COLUMN note TEXT DEFAULT 'n';
            ALTER TABLE g ADD COLUMN c TEXT;
            UPDATE s SET flag = 1 WHERE id = 2;
            UPDATE w SET note = 'changed' WHERE k = 'a';
            UPDATE g SET c = 'z';
            """)
        #expect(p.migrate().error == nil)
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("an explicit down section wins over the generated reverse")
    func downSectionWins() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (x);")
        p.write("002_b.sql", "-- migrate:up\nCREATE TABLE u (x);\n-- migrate:down\nDROP TABLE u;\nCREATE TABLE marker (x);\n")
        p.migrate()
        let run = p.rollback()
        #expect(run.error == nil)
        #expect(run.events.contains { if case .planned(_, "down section", _) = $0 { true } else { false } })
        #expect(try p.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('u', 'marker')") == [["marker"]])
    }

    @Test("a down section's BEGIN and COMMIT are skipped, ROLLBACK refused; a broken recorded one is fixed with repair")
    func downSectionTransactionsAndRepair() throws {
        let p = TempProject()
        p.write("001_a.sql", "-- migrate:up\nCREATE TABLE t (x);\n-- migrate:down\nBEGIN;\nDROP TABLE t;\nCOMMIT;\n")
        p.write("002_b.sql", "-- migrate:up\nCREATE TABLE u (x);\nINSERT INTO u VALUES (1);\n-- migrate:down\nDROP TABLE nope;\n")
        #expect(p.migrate().error == nil)

        // The recorded down section fails: nothing is rolled back, and the message says how to fix it.
        guard case .statementFailed(let failure)? = p.rollback().error else { Issue.record("the broken down section did not fail"); return }
        #expect(failure.location.line == 5 && failure.location.file == "002_b.sql" && failure.location.section == "down")
        #expect(failure.description.hasPrefix("002_b.sql (down section):5:1: error:"))
        #expect(failure.description.contains("slipway repair 002_b.sql") && failure.description.contains("the rollback was undone"))
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql"])
        // Emptied in the file, then accepted: rollback uses the reverse recorded when 002 ran.
        p.write("002_b.sql", "-- migrate:up\nCREATE TABLE u (x);\nINSERT INTO u VALUES (1);\n-- migrate:down\n")
        let repair = try TrackingTable().repair("002", files: MigrationDirectory(path: p.migrations).load(), by: "test", at: 0,
                                                opener: DatabaseOpener(path: p.database))
        #expect(repair?.downSection == true)
        let generated = p.rollback()
        #expect(generated.error == nil)
        #expect(generated.events.contains { if case .planned("002_b.sql", "generated", _) = $0 { true } else { false } })
        // BEGIN and COMMIT in 001's down section would have ended the rollback's transaction.
        #expect(p.rollback().error == nil)
        #expect(try p.rows("SELECT name FROM sqlite_master WHERE name IN ('t', 'u')") == [])

        p.write("003_c.sql", "-- migrate:up\nCREATE TABLE v (x);\n-- migrate:down\nDROP TABLE v;\nROLLBACK;\n")
        #expect(p.migrate().error == nil)
        guard case .statementFailed(let refused)? = p.rollback({ $0.filenames = ["003_c.sql"] }).error else {
            Issue.record("ROLLBACK in a down section was not refused"); return
        }
        #expect(refused.sqliteMessage.contains("ROLLBACK inside a down section") && refused.location.line == 5)
        #expect(try p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'v'") == [[1]])
    }

    @Test("rollback works after the file was edited or deleted")
    func fileEditedOrDeleted() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        p.migrate()
        let before = try FullState(p.database)
        p.write("002_b.sql", "-- migrate:up\nALTER TABLE users ADD COLUMN x;\n-- migrate:down\nSELECT 1;\n")
        p.write("003_c.sql", "DELETE FROM posts;")
        p.migrate()
        p.write("002_b.sql", "-- migrate:up\nSELECT 'edited';\n-- migrate:down\nDROP TABLE users;\n")
        p.remove("003_c.sql")
        #expect(p.rollback { $0.steps = 1 }.error == nil)
        #expect(try p.rows("SELECT count(*) FROM posts") == [[3]])
        // 002's recorded down section ran (SELECT 1), not the edited one, so the column stays.
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database).schema != before.schema)
        #expect(try p.rows("SELECT count(*) FROM users") == [[3]])
    }

    @Test("--to undoes every migration after the named one, newest first")
    func rollbackTo() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (x);")
        p.write("002_b.sql", "CREATE TABLE b (x); INSERT INTO a VALUES (1);")
        p.write("003_c.sql", "CREATE TABLE c (x); DROP TABLE b;")
        p.migrate()
        let run = p.rollback { $0.target = "001_a.sql" }
        #expect(run.error == nil)
        let order = run.events.compactMap { if case .rolledBack(let f, _) = $0 { f } else { nil } }
        #expect(order == ["003_c.sql", "002_b.sql"])
        #expect(try p.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b', 'c')") == [["a"]])
        #expect(try p.rows("SELECT count(*) FROM a") == [[0]])
    }

    @Test("a list of filenames (what one deploy applied) is undone newest first; an unapplied name changes nothing")
    func explicitList() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (x);")
        p.write("002_b.sql", "CREATE TABLE b (x);")
        p.write("003_c.sql", "CREATE TABLE c (x);")
        p.migrate()
        #expect(p.rollback { $0.filenames = ["002_b.sql", "009_nope.sql"] }.error != nil)
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql", "003_c.sql"])
        let run = p.rollback { $0.filenames = ["002_b.sql", "003_c.sql"] }
        #expect(run.error == nil)
        #expect(run.events.compactMap { if case .rolledBack(let f, _) = $0 { f } else { nil } } == ["003_c.sql", "002_b.sql"])
        #expect(try p.tracked() == ["001_a.sql"])
    }

    @Test("--dry-run prints the reverse and changes nothing")
    func dryRun() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        p.write("002_b.sql", "ALTER TABLE posts RENAME TO articles; DROP TABLE events;")
        p.migrate()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: p.database))
        let run = p.rollback { $0.dryRun = true }
        #expect(run.error == nil)
        guard case .planned(_, _, let steps)? = run.events.first(where: { if case .planned = $0 { true } else { false } }) else {
            Issue.record("no plan"); return
        }
        #expect(steps.contains(.sql("ALTER TABLE \"articles\" RENAME TO \"posts\"")))
        #expect(steps.contains { if case .restoreFromSnapshot("events", _, _) = $0 { true } else { false } })
        #expect(try Data(contentsOf: URL(fileURLWithPath: p.database)) == bytes)
    }

    @Test("a dry run of one migration only reads: a writer holding the database does not stop it")
    func dryRunReadsOnly() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        p.write("002_b.sql", "DROP TABLE events;")
        p.migrate()
        let writer = try Connection(path: p.database)
        try writer.execute("BEGIN IMMEDIATE; INSERT INTO audit VALUES ('busy')")
        defer { try? writer.execute("ROLLBACK") }
        let run = p.rollback { $0.dryRun = true }
        #expect(run.error == nil, "\(String(describing: run.error))")
        #expect(run.events.contains { if case .planned("002_b.sql", _, _) = $0 { true } else { false } })
    }

    @Test("migrations adopted from the sql.js runner are named and stop the rollback")
    func adoptedRefused() throws {
        let p = TempProject()
        let db = try Connection(path: p.database)
        try db.execute("CREATE TABLE _migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT UNIQUE NOT NULL, applied_at INTEGER NOT NULL); CREATE TABLE t (x); INSERT INTO _migrations (filename, applied_at) VALUES ('001_old.sql', 1)")
        p.write("001_old.sql", "CREATE TABLE t (x);")
        let run = p.rollback()
        guard case .notReversible(let file, let reason)? = run.error else { Issue.record("adopted rolled back"); return }
        #expect(file == "001_old.sql" && reason.contains("adopted"))
        #expect(try p.rows("SELECT count(*) FROM _migrations") == [[1]])
    }

    @Test("rows written since the migration into what rollback drops: listed, refused, then accepted")
    func dataLoss() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        p.write("002_b.sql", "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT); INSERT INTO tags VALUES (1, 'seed'); ALTER TABLE users ADD COLUMN nick TEXT;")
        p.migrate()
        try p.db().execute("INSERT INTO tags VALUES (2, 'from the app'); UPDATE users SET nick = 'a' WHERE id = 1")
        let refused = p.rollback()
        guard case .dataLoss(let findings)? = refused.error else { Issue.record("no data-loss refusal"); return }
        #expect(findings.map(\.table).sorted() == ["tags", "users"])
        #expect(try p.tracked() == ["001_setup.sql", "002_b.sql"])
        #expect(p.rollback { $0.acceptDataLoss = true }.error == nil)
        #expect(try p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'tags'") == [[0]])
    }

    @Test("several steps: each migration is checked on the database the newer ones' reverses leave; data loss in an older one changes nothing")
    func severalSteps() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        // events has no primary key: each migration keeps a copy and a digest of it.
        p.write("002_a.sql", "INSERT INTO events VALUES ('a', 10); CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);")
        p.write("003_b.sql", "INSERT INTO events VALUES ('b', 11); INSERT INTO tags VALUES (1, 'b');")
        p.migrate()
        let applied = try FullState(p.database)
        let dry = p.rollback { $0.steps = 2; $0.dryRun = true }
        #expect(dry.error == nil, "\(String(describing: dry.error))")
        #expect(try FullState(p.database) == applied)

        try p.db().execute("INSERT INTO tags VALUES (2, 'from the app')")  // lost only when 002 drops tags
        let refused = p.rollback { $0.steps = 2 }
        guard case .dataLoss(let findings)? = refused.error else { Issue.record("no data-loss refusal: \(String(describing: refused.error))"); return }
        #expect(findings.map(\.filename) == ["002_a.sql"])
        #expect(try p.tracked() == ["001_setup.sql", "002_a.sql", "003_b.sql"])
        #expect(try p.rows("SELECT count(*) FROM tags") == [[2]])

        try p.db().execute("DELETE FROM tags WHERE id = 2")
        let down = p.rollback { $0.steps = 2 }
        #expect(down.error == nil, "\(String(describing: down.error))")
        #expect(try p.tracked() == ["001_setup.sql"])
        #expect(try p.rows("SELECT kind FROM events ORDER BY rowid") == [["login"], ["login"], ["logout"]])
    }

    @Test("a row changed since the migration is a conflict: the rollback is undone, not half-done")
    func conflict() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        p.write("002_b.sql", "UPDATE posts SET title = 'by the migration' WHERE id = 1; INSERT INTO posts VALUES (10, 2, 'new');")
        p.migrate()
        try p.db().execute("UPDATE posts SET title = 'by the app' WHERE id = 1")
        let state = try FullState(p.database)
        let result = p.rollback()
        guard case .rollbackConflict(let file, _)? = result.error else { Issue.record("conflict ignored: \(String(describing: result.error))"); return }
        #expect(file == "002_b.sql")
        #expect(try FullState(p.database) == state)
        #expect(try p.tracked() == ["001_setup.sql", "002_b.sql"])
    }

    @Test("past the memory limit an update-only migration runs again with column copies, and rolls back exactly")
    func columnCopies() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        p.migrate()
        let before = try FullState(p.database)
        p.write("002_b.sql", "UPDATE posts SET title = upper(title); UPDATE events SET at = at * 10; UPDATE posts SET user_id = 2, title = title || '!';")
        let up = p.migrate { $0.recordingLimit = 1 }
        #expect(up.error == nil)
        #expect(up.events.contains { if case .warning(_, let m) = $0 { m.contains("with a copy of each updated column taken first") } else { false } })
        #expect(try p.strategy(of: "002_b.sql") == "columns")
        // Three copies: posts.title, events.at, then only posts.user_id (title was copied already).
        #expect(try p.copies("cols") == 3)
        try p.db().execute("UPDATE events SET at = 99 WHERE rowid = 1")
        guard case .dataLoss(let findings)? = p.rollback().error else { Issue.record("a later change went unnoticed"); return }
        #expect(findings.map(\.table) == ["events"])
        try p.db().execute("UPDATE events SET at = 10 WHERE rowid = 1")  // back to what the migration left
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
        #expect(try p.copies("cols") == 0)
    }

    @Test("an UPDATE that scans a table too big for the session goes straight to column copies")
    func hugeScanGoesToColumns() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 2000) INSERT INTO t SELECT k, 'v' || k FROM n;")
        p.migrate()
        let before = try FullState(p.database)
        p.write("002_b.sql", "UPDATE t SET v = upper(v) WHERE id = 5;\nUPDATE t SET v = v || '!';")
        // 2000 rows > 64 KiB / 64: the whole-table UPDATE is "huge"; the keyed one is not.
        let up = p.migrate { $0.recordingLimit = 64 << 10 }
        #expect(up.error == nil)
        #expect(try p.strategy(of: "002_b.sql") == "columns")
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
    }

    @Test("past the memory limit a migration runs again behind a backup, and still rolls back exactly")
    func backupFallback() throws {
        let p = TempProject()
        p.write("001_setup.sql", rollbackSetup)
        p.migrate()
        let before = try FullState(p.database)
        p.write("002_b.sql", "UPDATE users SET name = name || '?'; DELETE FROM posts WHERE id = 2; UPDATE events SET at = 0;")
        let up = p.migrate { $0.recordingLimit = 1 }
        #expect(up.error == nil)
        #expect(up.events.contains { if case .warning(_, let m) = $0 { m.contains("behind a backup") } else { false } })
        #expect(try p.strategy(of: "002_b.sql") == "backup")
        #expect(p.rollback().error == nil)
        #expect(try FullState(p.database) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: p.root + "/.slipway/rollback").isEmpty)
    }
}
