import Testing
import SQLiteKit

@Suite("Changeset.leavingOut: UPDATEs without some columns")
struct ChangesetColumnsTests {
    @Test("a left-out column is not written back; an UPDATE of nothing else is dropped; the rest inverts")
    func leavingOut() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("""
            CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER);
            CREATE TABLE u (id INTEGER PRIMARY KEY, v);
            INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2);
            """)
        let session = try Session(on: db) { _ in true }
        try db.execute("UPDATE t SET b = b + 10; UPDATE t SET a = 'z' WHERE id = 1; INSERT INTO u VALUES (1, 'new')")
        let full = try session.changeset()
        #expect(try Changeset.leavingOut(["t": [0]], of: full) == full)  // a key column always stays
        let trimmed = try Changeset.leavingOut(["t": [2]], of: full)
        #expect(trimmed.count < full.count)
        try db.applyInverse(of: trimmed) { _ in true }
        // Row 1's `a` is back, its `b` (left out) is not; row 2's UPDATE changed only `b`: dropped; u's INSERT inverted.
        #expect(try db.query("SELECT id, a, b FROM t ORDER BY id") == [[1, "x", 11], [2, "y", 12]])
        #expect(try db.scalar("SELECT count(*) FROM u") == .integer(0))
    }
}
