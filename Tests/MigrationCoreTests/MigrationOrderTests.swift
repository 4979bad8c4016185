import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("migrate refuses out-of-order pending files and shared numbers, unless allowed")
struct MigrationOrderTests {
    @Test("a file added below the newest applied one is refused, naming both; nothing is applied; --allow-out-of-order applies it")
    func belowNewest() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);")
        p.write("003_c.sql", "CREATE TABLE c (id INTEGER PRIMARY KEY);")
        #expect(p.migrate().error == nil)
        p.write("002_b.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);")
        p.write("004_d.sql", "CREATE TABLE d (id INTEGER PRIMARY KEY);")
        let refused = p.migrate()
        guard case .outOfOrder(let problems)? = refused.error else {
            Issue.record("expected outOfOrder, got \(String(describing: refused.error))")
            return
        }
        #expect(problems.count == 1 && problems[0].contains("002_b.sql") && problems[0].contains("003_c.sql"))
        #expect(refused.error?.description.contains("--allow-out-of-order") == true)
        #expect(try p.tracked() == ["001_a.sql", "003_c.sql"], "nothing applied, not even 004")
        #expect(p.migrate { $0.allowOutOfOrder = true }.error == nil)
        #expect(try p.tracked().sorted() == ["001_a.sql", "002_b.sql", "003_c.sql", "004_d.sql"])
    }

    @Test("two files sharing a number are refused while one is pending")
    func sharedNumber() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);")
        p.write("002_b.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);")
        p.write("002_c.sql", "CREATE TABLE c (id INTEGER PRIMARY KEY);")
        guard case .outOfOrder(let problems)? = p.migrate().error else {
            Issue.record("expected outOfOrder")
            return
        }
        #expect(problems == ["002_b.sql and 002_c.sql share the number 2: which runs first depends on the rest of their names; renumber the pending one"])
        #expect(try !p.exists || p.tracked().isEmpty)
    }

    @Test("in order, nothing is refused; a fresh database applies everything")
    func inOrder() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);")
        #expect(p.migrate().error == nil)
        p.write("002_b.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);")
        #expect(p.migrate().error == nil)
        #expect(try p.tracked() == ["001_a.sql", "002_b.sql"])
    }
}
