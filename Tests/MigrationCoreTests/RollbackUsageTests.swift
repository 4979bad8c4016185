import Foundation
import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("Rollback usage: what status says rollback data takes")
struct RollbackUsageTests {
    @Test("copy tables are counted by their pages, records and changesets by their bytes; pruned ones not at all")
    func counts() throws {
        let p = TempProject()
        let opener = DatabaseOpener(path: p.database)
        #expect(try RollbackUsage.read(opener, table: TrackingTable()) == RollbackUsage())  // no database yet: nothing, and none created
        #expect(!p.exists)
        p.write("001_a.sql", "CREATE TABLE big (v TEXT); WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 2000) INSERT INTO big SELECT printf('%0100d', k) FROM n;")
        p.write("002_b.sql", "UPDATE big SET v = 'x' || v;")
        p.migrate()
        let usage = try RollbackUsage.read(opener, table: TrackingTable())
        #expect(usage.migrations == 2 && usage.pruned == 0)
        let store = RollbackStore(db: try p.db(), table: TrackingTable())
        let snapshot = try #require(try p.rows("SELECT name FROM sqlite_master WHERE name LIKE '\\_slipway\\_snap\\_%' ESCAPE '\\'").first?[0].string)
        let pages = try store.tableBytes(snapshot)
        #expect(pages >= 2000 * 100)
        let stored = try p.rows("SELECT sum(length(rollback_record) + coalesce(length(rollback_changeset), 0)) FROM _migrations")[0][0].int ?? 0
        #expect(usage.bytes == pages + stored)
        _ = try RollbackRetention(keep: 1).run(opener, dryRun: false, vacuum: false)
        #expect(try RollbackUsage.read(opener, table: TrackingTable()).pruned == 1)
    }

    @Test("without dbstat, a table's size is the length of its values: close to its pages")
    func valueLengths() throws {
        let p = TempProject()
        let db = try Connection(path: p.database)
        try db.execute("CREATE TABLE t (a TEXT, b BLOB, c INTEGER); WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 1000) INSERT INTO t SELECT printf('%050d', k), zeroblob(50), NULL FROM n;")
        let store = RollbackStore(db: db, table: TrackingTable())
        #expect(try store.valueBytes("t") == 1000 * 100)
        let pages = try store.tableBytes("t")
        #expect(pages > 1000 * 100 && pages < 1000 * 100 * 2)
        #expect(try store.tableBytes("no_such_table") == 0)
    }
}
