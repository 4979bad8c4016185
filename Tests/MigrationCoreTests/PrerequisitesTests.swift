import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("-- requires: prerequisites in a migration's header")
struct PrerequisitesTests {
    func files(_ p: TempProject) throws -> [MigrationFile] { try MigrationDirectory(path: p.migrations).load() }

    @Test("the header's names, several per line or several lines, with line and column; nothing after the first statement")
    func parsesHeader() throws {
        let p = TempProject()
        p.write("005_x.sql", "-- Adds x.\n-- requires: 001_a, 002_b.sql\n--requires: 3\n-- migrate:up\nCREATE TABLE x (v);\n-- requires: 004_not_header\n")
        let names = MigrationPrerequisites.requirements(of: try files(p)[0])
        #expect(names == [.init(name: "001_a", line: 2, column: 14), .init(name: "002_b.sql", line: 2, column: 21),
                          .init(name: "3", line: 3, column: 13)])
    }

    @Test("migrate refuses an unknown prerequisite and one that sorts after the file, at its file:line:column, applying nothing")
    func refusesBadHeaders() throws {
        let p = TempProject()
        p.write("001_a.sql", "CREATE TABLE a (v);")
        p.write("002_b.sql", "-- requires: 009_nope\nCREATE TABLE b (v);")
        p.write("003_c.sql", "-- requires: 004_d\nCREATE TABLE c (v);")
        p.write("004_d.sql", "CREATE TABLE d (v);")
        let run = p.migrate()
        guard case .prerequisites(let problems)? = run.error else { Issue.record("accepted: \(String(describing: run.error))"); return }
        #expect(problems.map(\.kind) == [.unknown, .ordered])
        #expect(problems[0].description.hasSuffix("002_b.sql:1:14: error: requires '009_nope', which is neither a file in the migrations folder nor an applied migration"))
        #expect(problems[1].message.hasPrefix("requires 004_d.sql, which sorts after it"))
        #expect(run.error?.isInvalidInput == true)
        #expect(try !p.exists || p.tracked().isEmpty)
        let findings = Validator(files: try files(p), rows: []).findings().filter { $0.severity == .error }
        #expect(findings.map(\.filename) == ["002_b.sql", "003_c.sql"])
        #expect(findings[0].message.hasPrefix("line 1: requires '009_nope'"))
    }

    @Test("a prerequisite by number or by name applies first; an applied file whose prerequisite was reset is refused")
    func appliedPrerequisite() throws {
        let p = TempProject()
        p.write("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);")
        p.write("002_lines.sql", "-- requires: 1\nCREATE TABLE lines (order_id REFERENCES orders (id));")
        #expect(p.migrate().error == nil)
        #expect(try p.tracked() == ["001_orders.sql", "002_lines.sql"])
        try TrackingTable().reset("001", opener: DatabaseOpener(path: p.database, busyTimeoutMilliseconds: 5000))
        let run = p.migrate { $0.allowOutOfOrder = true }
        guard case .prerequisites(let problems)? = run.error else { Issue.record("accepted: \(String(describing: run.error))"); return }
        #expect(problems.map(\.kind) == [.notApplied])
        #expect(problems[0].message.hasPrefix("is applied but its prerequisite 001_orders.sql is not"))
    }

    @Test("rollback of a migration that an applied one requires is refused and names it; --cascade undoes the dependents first")
    func rollbackCascade() throws {
        let p = TempProject()
        p.write("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);")
        p.write("002_notes.sql", "CREATE TABLE notes (v);")
        p.write("003_lines.sql", "-- requires: 001_orders\nCREATE TABLE lines (order_id);")
        p.write("004_totals.sql", "-- requires: 003_lines\nCREATE VIEW totals AS SELECT count(*) AS n FROM lines;")
        #expect(p.migrate().error == nil)
        let refused = p.rollback { $0.filenames = ["001_orders.sql"] }
        guard case .requiredBy("001_orders.sql", let dependents)? = refused.error else {
            Issue.record("rolled back: \(String(describing: refused.error))"); return
        }
        #expect(dependents == ["004_totals.sql", "003_lines.sql"])
        #expect(try p.tracked().count == 4)
        let cascaded = p.rollback { $0.filenames = ["001_orders.sql"]; $0.cascade = true }
        #expect(cascaded.error == nil)
        #expect(cascaded.events.compactMap { if case .rolledBack(let f, _) = $0 { f } else { nil } }
            == ["004_totals.sql", "003_lines.sql", "001_orders.sql"])
        #expect(try p.tracked() == ["002_notes.sql"])
        // --steps takes the newest first, so dependents go before what they need without --cascade.
        #expect(p.rollback().error == nil)
        #expect(p.migrate().error == nil)
        #expect(p.rollback { $0.steps = 2 }.error == nil)
        #expect(try p.tracked() == ["001_orders.sql", "002_notes.sql"])
    }
}
