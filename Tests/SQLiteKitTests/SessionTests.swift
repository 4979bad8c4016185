import Testing
@testable import SQLiteKit

@Suite("Session and changesets")
struct SessionTests {
    @Test("a changeset's inverse puts rows back; nullOldValues names UPDATE/DELETE columns whose old value is NULL")
    func inverseAndNullOldValues() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b); INSERT INTO t VALUES (1, NULL, 'x'), (2, 'y', NULL), (3, 'z', 'z')")
        let session = try Session(on: db) { _ in true }
        try db.execute("UPDATE t SET a = 'new' WHERE id = 1; DELETE FROM t WHERE id = 2; INSERT INTO t VALUES (4, NULL, NULL); UPDATE t SET b = 'w' WHERE id = 3")
        let changes = try session.changeset()
        let nulls = try Changeset.nullOldValues(in: changes).sorted { $0.columns.count < $1.columns.count }
        // Row 1: a was NULL (b unchanged: not recorded). Row 2 deleted: b was NULL. Row 3: nothing NULL. Row 4: an insert.
        #expect(nulls.map(\.table) == ["t", "t"])
        #expect(Set(nulls.map(\.columns)) == [[1], [2]])
        try db.applyInverse(of: changes) { _ in true }
        #expect(try db.query("SELECT id, a, b FROM t ORDER BY id") == [[1, nil, "x"], [2, "y", nil], [3, "z", "z"]])
    }
}
