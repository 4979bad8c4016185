import Testing
import SQLiteKit
@testable import MigrationCore

/// Cases the generated round trip found (seeds in the commit message), kept as plain tests.
@Suite("Rollback: generated cases that once failed")
struct RollbackRegressionTests {
    func roundTrip(_ setup: String, _ migrations: [String], limit: Int64 = 64 << 20) throws {
        try TempProject().roundTrip(setup: setup, migrations: migrations, scenario: migrations.joined(separator: "\n")) {
            $0.recordingLimit = limit
        }
    }

    @Test("an UPDATE to NULL of a column an earlier migration added with a default, on rows older than the column")
    func nullOverAddedDefault() throws {
        try roundTrip("""
            CREATE TABLE t0 (c00, c01);
            INSERT INTO t0 (c00, c01) VALUES (NULL, NULL), (NULL, NULL), (NULL, NULL), (NULL, NULL);
            """, [
                "CREATE TABLE k1 (id INTEGER PRIMARY KEY, v); INSERT INTO k1 (v) SELECT c00 FROM t0;",
                "ALTER TABLE k1 ADD COLUMN n2 TEXT DEFAULT 'd';\nUPDATE k1 SET n2 = 'x' WHERE rowid = 1;",
                "UPDATE k1 SET n2 = NULL WHERE rowid % 2 = 0;",
            ])
    }

    @Test("a table created and renamed by a migration that ran behind a backup is dropped by its rollback")
    func createThenRenameBehindBackup() throws {
        try roundTrip("""
            CREATE TABLE t0 (id INTEGER PRIMARY KEY, c00, c01);
            INSERT INTO t0 (c00, c01) VALUES (NULL, NULL), (NULL, NULL);
            CREATE TABLE t1 (c10);
            """, [
                "UPDATE t0 SET c00 = NULL WHERE rowid % 2 = 0;\nCREATE TABLE k1 (id INTEGER PRIMARY KEY, v); INSERT INTO k1 (v) SELECT c00 FROM t0;\nALTER TABLE k1 RENAME TO r2;",
            ], limit: 1)
    }
}
