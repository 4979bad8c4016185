import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("TableDigest: a fixed byte layout, checked against an independent SHA-256")
struct TableDigestTests {
    /// Expected values computed outside Swift (Python's hashlib) from the documented layout:
    /// per value its storage class byte, its length as 8 little-endian bytes, its bytes; 0xFF after each row.
    @Test("every storage class, and values larger than the hashing buffer")
    func layout() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (a, r, s, b, n); INSERT INTO t VALUES (1, 2.5, 'héllo', X'00FF', NULL), (-7, 0.0, '', X'', NULL)")
        #expect(try TableDigest.of("t", on: db) == "87a67f538c6c76d02c34c77345a4527701263c512b48236009309ef74fa624f0")
        try db.execute("CREATE TABLE big (v)")
        try db.query("INSERT INTO big (rowid, v) VALUES (1, ?), (2, ?)",
                     [.blob((0..<300).flatMap { _ in (0...255).map(UInt8.init) }), .text(String(repeating: "x", count: 70000))])
        #expect(try TableDigest.of("big", on: db) == "855df28f842e02d43400af72f5dcd4b44e92d4eb1646c006d4c1506af88f8f75")
        try db.execute("CREATE TABLE e (x)")
        #expect(try TableDigest.of("e", on: db) == TableDigest.empty)
    }

    @Test("a range's digest, count and last rowid in one pass are what rollback checks by rowids")
    func range() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 'a'), (5, 'b'), (9, NULL), (12, X'00')")
        let found = try TableDigest.range("t", after: 1, on: db)
        #expect(found.rows == 3 && found.through == 12)
        let byRowids = try TableDigest.of("t", rowids: .init(after: 1, through: 12), on: db)
        #expect(found.digest == byRowids)
        let all = try TableDigest.range("t", after: nil, on: db)
        let allByRowids = try TableDigest.of("t", rowids: .init(after: nil, through: 12), on: db)
        #expect(all.rows == 4 && all.digest == allByRowids)
        let none = try TableDigest.range("t", after: 12, on: db)
        #expect(none.rows == 0 && none.through == nil)
    }
}
