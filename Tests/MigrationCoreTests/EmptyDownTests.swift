import Testing
import SQLiteKit
@testable import MigrationCore

@Suite("An empty down section means: generate the reverse")
struct EmptyDownTests {
    /// What `slipway new` writes, with an up section filled in.
    static let file = """
        -- migrate:up
        CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER);
        INSERT INTO invoices VALUES (1, 10);

        -- migrate:down
        -- Optional: slipway generates the reverse of the up section when this is empty.

        """

    func tables(_ p: TempProject) throws -> [String] {
        try p.db().query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'")
            .map { $0[0].string ?? "" }
    }

    @Test("a comment-only down section is no down section: the dry run says generated, rollback drops the table")
    func generated() throws {
        let p = TempProject()
        #expect(try MigrationSource(parsing: Self.file, file: "x.sql").down == nil)
        p.write("001_invoices.sql", Self.file)
        #expect(p.migrate { $0.dryRun = true }.events.contains(.planned(filename: "001_invoices.sql", statements: 2, transactional: true, reverse: .generated)))
        #expect(p.migrate().error == nil)
        #expect(try tables(p) == ["invoices"])
        let down = p.rollback()
        #expect(down.error == nil)
        #expect(down.events.contains { if case .planned(_, "generated", let steps) = $0 { !steps.isEmpty } else { false } })
        #expect(try tables(p) == [], "rolled back means undone")
    }

    @Test("a record that stored an empty down section (older slipway) is rolled back from what was recorded")
    func legacyRecord() throws {
        let p = TempProject()
        p.write("001_invoices.sql", Self.file)
        #expect(p.migrate().error == nil)
        try p.db().execute(#"""
            UPDATE _migrations SET rollback_record = json_set(coalesce(rollback_record, '{}'), '$.down',
              json('{"sql":"-- Optional: slipway generates the reverse\n\n","firstLine":5}'))
            """#)
        #expect(p.rollback().error == nil)
        #expect(try tables(p) == [])
    }
}
