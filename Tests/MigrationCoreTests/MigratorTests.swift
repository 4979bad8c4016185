import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("Migrator: ordered, tracked, one transaction per migration")
struct MigratorTests {
    @Test("applies files in byte-wise filename order and records each")
    func appliesInOrder() throws {
        let p = TempProject()
        p.write("002_b.sql", "INSERT INTO t VALUES ('002');")
        p.write("001_a.sql", "CREATE TABLE t (v TEXT);")
        p.write("010_c.sql", "INSERT INTO t VALUES ('010');")
        p.write("README.md", "not a migration")
        try FileManager.default.createDirectory(atPath: p.migrations + "/999_folder.sql", withIntermediateDirectories: true)
        try "INSERT INTO t VALUES ('linked');".write(toFile: p.root + "/outside.sql", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: p.migrations + "/011_link.sql", withDestinationPath: p.root + "/outside.sql")
        let run = p.migrate()
        #expect(run.error == nil)
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql", "010_c.sql", "011_link.sql"])
        #expect(try p.rows("SELECT v FROM t ORDER BY rowid") == [["002"], ["010"], ["linked"]])
        #expect(run.summary.applied == 4)
        let checksum = try p.rows("SELECT checksum FROM _migrations WHERE filename = '001_a.sql'")[0][0].string
        #expect(checksum == MigrationFile.checksum(of: Array("CREATE TABLE t (v TEXT);".utf8)))
    }

    @Test("running migrate twice applies nothing the second time")
    func rerunIsNoOp() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (v); INSERT INTO t VALUES (1);")
        p.migrate()
        let second = p.migrate()
        #expect(second.error == nil)
        #expect(second.summary.applied == 0 && second.summary.skipped == 1)
        #expect(second.events.contains(.skip(filename: "001_a.sql", reason: .alreadyApplied)))
        #expect(try p.rows("SELECT count(*) FROM t") == [[1]])
    }

    @Test("a failing statement rolls the whole migration back, records nothing, and names file, line and statement")
    func failureIsAtomic() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (v UNIQUE);")
        p.write("002_b.sql", "INSERT INTO t VALUES (1);\nCREATE TABLE u (x);\n\n  INSERT INTO t VALUES (1);\n")
        p.write("003_c.sql", "CREATE TABLE never (x);")
        let run = p.migrate()
        guard case .statementFailed(let failure)? = run.error else { Issue.record("expected a statement failure, got \(String(describing: run.error))"); return }
        #expect(failure.location.file.hasSuffix("migrations/002_b.sql"))
        #expect(failure.location.line == 4)
        #expect(failure.location.column == 3)
        #expect(failure.statementIndex == 3)
        #expect(failure.statement == "INSERT INTO t VALUES (1);")
        #expect(failure.sqliteMessage.contains("UNIQUE constraint failed"))
        #expect(try p.tracked() == ["001_a.sql"])
        #expect(try p.rows("SELECT count(*) FROM t") == [[0]])
        #expect(try p.rows("SELECT count(*) FROM sqlite_master WHERE name IN ('u', 'never')") == [[0]])
        #expect(run.summary.failed && run.summary.applied == 1 && run.summary.pending == 2)

        // Fix the file and run again: it continues from there, no reset needed.
        p.write("002_b.sql", "INSERT INTO t VALUES (1);\nCREATE TABLE u (x);\n")
        #expect(p.migrate().error == nil)
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql", "003_c.sql"])
    }

    @Test("a pending file with bad markers stops the run before anything is written")
    func badMarkersStopEarly() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (x);")
        p.write("002_b.sql", "-- migrate:down\nDROP TABLE a;\n")
        let run = p.migrate()
        guard case .invalidMigration(let at, _)? = run.error else { Issue.record("accepted"); return }
        #expect(at.line == 1 && at.file.hasSuffix("002_b.sql"))
        #expect(run.error?.isInvalidInput == true)
        #expect(!p.exists, "not even the database is created")
    }

    @Test("a syntax error points at the offending token")
    func syntaxErrorColumn() throws {
        let p = TempProject()
        p.write("001_a.sql", "-- migrate:up\nCREATE TABLE t (x);\nSELECT * FROMM t;\n")
        guard case .statementFailed(let failure)? = p.migrate().error else { Issue.record("no failure"); return }
        #expect(failure.location.line == 3)
        #expect(failure.location.column == 10)
        #expect(failure.statement == "SELECT * FROMM t;")
        #expect(try !p.exists || p.tracked().isEmpty)
    }

    @Test("'already exists' and 'duplicate column name' are tolerated, as the sql.js runner did")
    func toleratesAlreadyExists() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);")
        p.write("002_b.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\nALTER TABLE users ADD COLUMN role TEXT;\nALTER TABLE users ADD COLUMN role TEXT;\nCREATE INDEX i ON users(role);")
        let run = p.migrate()
        #expect(run.error == nil)
        #expect(run.summary.tolerated == 2)
        #expect(run.events.contains(.tolerated(filename: "002_b.sql", statement: 1, line: 1, message: "table users already exists")))
        #expect(run.events.contains(.tolerated(filename: "002_b.sql", statement: 3, line: 3, message: "duplicate column name: role")))
        #expect(try p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'i'") == [[1]])
    }

    @Test("--strict makes 'already exists' a failure")
    func strictFails() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id);")
        p.write("002_b.sql", "CREATE TABLE extra (x);\nCREATE TABLE users (id);")
        let run = p.migrate { $0.strict = true }
        guard case .statementFailed(let failure)? = run.error else { Issue.record("no failure"); return }
        #expect(failure.statementIndex == 2)
        #expect(try p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'extra'") == [[0]])
    }

    @Test("a migration that breaks a foreign key fails and is rolled back")
    func foreignKeyCheck() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nINSERT INTO users VALUES (1);\nINSERT INTO posts VALUES (10, 1);")
        p.write("002_b.sql", "DELETE FROM users WHERE id = 1;")
        let run = p.migrate()
        guard case .foreignKeyViolations(let file, let violations)? = run.error else { Issue.record("no violation: \(String(describing: run.error))"); return }
        #expect(file.hasSuffix("002_b.sql"))
        #expect(violations == [ForeignKeyViolation(table: "posts", rowid: 10, parent: "users")])
        #expect(try p.rows("SELECT count(*) FROM users") == [[1]])
        #expect(try p.tracked() == ["001_a.sql"])
    }

    @Test("an update of a column no foreign key uses does not need the check, one of a key column does")
    func foreignKeyCheckScope() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users);\nINSERT INTO users VALUES (1, 'a');\nINSERT INTO posts VALUES (10, 1);")
        p.write("002_b.sql", "UPDATE users SET name = 'b';")
        p.write("003_c.sql", "UPDATE posts SET user_id = 99;")
        let run = p.migrate()
        guard case .foreignKeyViolations(let file, _)? = run.error else { Issue.record("no violation"); return }
        #expect(file.hasSuffix("003_c.sql"))
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql"])
    }

    @Test("violations that were there before are not held against a migration; new ones are")
    func preexistingViolations() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nINSERT INTO users VALUES (1);")
        #expect(p.migrate().error == nil)
        // An orphan, as databases run with foreign keys off (sql.js) collect.
        try p.db().execute("INSERT INTO sessions VALUES (5, 42)")
        p.write("002_b.sql", "INSERT INTO sessions VALUES (6, 1);")
        let ok = p.migrate()
        #expect(ok.error == nil)
        #expect(ok.events.contains { if case .warning("002_b.sql", let m) = $0 { m.hasPrefix("1 foreign key violation (sessions → users) existed before") } else { false } })
        #expect(try p.rows("SELECT id FROM sessions ORDER BY id") == [[5], [6]])

        p.write("003_c.sql", "INSERT INTO sessions VALUES (7, 99);")
        guard case .foreignKeyViolations(_, let new)? = p.migrate().error else { Issue.record("new orphan accepted"); return }
        #expect(new.contains(ForeignKeyViolation(table: "sessions", rowid: 7, parent: "users")))
        #expect(try p.rows("SELECT count(*) FROM sessions") == [[2]])

        // An index cannot break a foreign key: no check, so no warning about the old orphan.
        p.write("003_c.sql", "CREATE INDEX sessions_user ON sessions(user_id);")
        let index = p.migrate()
        #expect(index.error == nil)
        #expect(!index.events.contains { if case .warning = $0 { true } else { false } })
    }

    @Test("dropping a parent table or rebuilding a child is checked")
    func structuralChanges() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nINSERT INTO users VALUES (1);\nINSERT INTO posts VALUES (1, 1);")
        p.write("002_drop.sql", "DROP TABLE users;")
        guard case .foreignKeyViolations? = p.migrate().error else { Issue.record("dropped parent accepted"); return }
        p.write("002_drop.sql", """
            CREATE TABLE posts_new (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT);
            INSERT INTO posts_new (id, user_id) SELECT id, user_id + 1 FROM posts;
            DROP TABLE posts;
            ALTER TABLE posts_new RENAME TO posts;
            """)
        guard case .foreignKeyViolations(_, let found)? = p.migrate().error else { Issue.record("broken rebuild accepted"); return }
        #expect(found.first?.table == "posts")
        #expect(try p.rows("SELECT count(*) FROM sqlite_master WHERE name = 'posts_new'") == [[0]])
    }

    @Test("within one run, keys of created, altered and renamed tables are followed", arguments: [
        ("INSERT INTO posts VALUES (2, 42);", "an orphan in a table created earlier in the run"),
        ("ALTER TABLE posts ADD COLUMN editor INTEGER REFERENCES users(id) DEFAULT 7;", "a key column added with a dangling default"),
        ("ALTER TABLE users RENAME TO people;\nDELETE FROM people;", "a delete from a renamed parent"),
        ("ALTER TABLE users RENAME COLUMN id TO uid;\nUPDATE users SET uid = 5;", "an update of a renamed parent key"),
    ])
    func keysFollowedWithinRun(_ sql: String, _ what: String) throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));")
        p.write("002_b.sql", "INSERT INTO users VALUES (1);\nINSERT INTO posts VALUES (1, 1);")
        p.write("003_c.sql", sql)
        let run = p.migrate()
        guard case .foreignKeyViolations(let file, _)? = run.error else { Issue.record("missed: \(what)"); return }
        #expect(file.hasSuffix("003_c.sql"))
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql"])
    }

    @Test("a late-added file with a lower number runs when out-of-order is allowed")
    func lateLowerNumber() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (v);")
        p.write("003_c.sql", "INSERT INTO t VALUES (3);")
        p.migrate()
        p.write("002_b.sql", "INSERT INTO t VALUES (2);")
        let run = p.migrate { $0.allowOutOfOrder = true }
        #expect(run.summary.applied == 1)
        #expect(try p.tracked() == ["001_a.sql", "003_c.sql", "002_b.sql"])
    }


    @Test("--to stops after the named migration; a number works too")
    func upTo() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (x);")
        p.write("002_b.sql", "CREATE TABLE b (x);")
        p.write("003_c.sql", "CREATE TABLE c (x);")
        #expect(p.migrate { $0.target = "002_b.sql" }.summary.applied == 2)
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql"])
        #expect(p.migrate { $0.target = "3" }.summary.applied == 1)
        let unknown = p.migrate { $0.target = "009_nope.sql" }
        guard case .unknownMigration? = unknown.error else { Issue.record("unknown --to accepted"); return }
        #expect(unknown.error?.isInvalidInput == true)
    }

    @Test("--dry-run creates no database and lists what would run")
    func dryRunCreatesNothing() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (x);\nCREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;")
        p.write("002_b.sql", "-- migrate:up transaction:false\nVACUUM;")
        let run = p.migrate { $0.dryRun = true }
        #expect(run.error == nil)
        #expect(!p.exists)
        #expect(run.events.contains(.planned(filename: "001_a.sql", statements: 2, transactional: true, reverse: .generated)))
        #expect(run.events.contains(.planned(filename: "002_b.sql", statements: 1, transactional: false, reverse: .nothing)))
        #expect(run.summary.pending == 2 && run.summary.dryRun)
    }

    @Test("transaction:false runs VACUUM, which a transaction refuses with a hint")
    func outsideTransaction() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (x);")
        p.write("002_b.sql", "VACUUM;")
        guard case .statementFailed(let failure)? = p.migrate().error else { Issue.record("VACUUM ran in a transaction"); return }
        #expect(failure.hint?.contains("transaction:false") == true)
        p.write("002_b.sql", "-- migrate:up transaction:false\nVACUUM;\n-- migrate:down\n")
        #expect(p.migrate().error == nil)
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql"])
    }

    @Test("BEGIN and COMMIT written in a file are skipped with a warning; ROLLBACK is refused")
    func transactionControlInFile() throws {
        let p = TempProject()
        p.write("001_a.sql", "BEGIN TRANSACTION;\nCREATE TABLE t (x);\nCOMMIT;")
        let run = p.migrate()
        #expect(run.error == nil)
        #expect(run.events.filter { if case .warning = $0 { true } else { false } }.count == 2)
        p.write("002_b.sql", "INSERT INTO t VALUES (1);\nROLLBACK;")
        guard case .statementFailed(let failure)? = p.migrate().error else { Issue.record("ROLLBACK accepted"); return }
        #expect(failure.location.line == 2)
        #expect(try p.rows("SELECT count(*) FROM t") == [[0]])
    }

    @Test("PRAGMA foreign_keys inside a transactional migration gets a warning")
    func foreignKeysPragmaWarning() throws {
        let p = TempProject()
        p.write("001_a.sql", "PRAGMA foreign_keys = OFF;\nCREATE TABLE t (x);")
        let run = p.migrate()
        #expect(run.error == nil)
        #expect(run.events.contains { if case .warning(_, let m) = $0 { m.contains("foreign_keys has no effect") } else { false } })
    }

    @Test("--backup writes a copy before the first pending migration and keeps the newest N")
    func backups() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        p.migrate()
        for i in 2...4 {
            p.write("00\(i)_x.sql", "INSERT INTO t VALUES (\(i));")
            let run = p.migrate { $0.backup = BackupPolicy(keep: 2) }
            #expect(run.error == nil)
            guard case .backup(let path)? = run.events.first(where: { if case .backup = $0 { true } else { false } }) else {
                Issue.record("no backup event"); return
            }
            let copy = try Connection(path: path, mode: .readOnly)
            #expect(try copy.query("SELECT count(*) FROM t") == [[.integer(Int64(i - 1))]])
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: p.root + "/.slipway/backups")
        #expect(kept.count == 2)
        #expect(kept.allSatisfy { $0.hasSuffix(".bak") })
    }
}

import Foundation
