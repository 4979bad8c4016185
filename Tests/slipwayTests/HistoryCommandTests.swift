import Foundation
import Testing

/// `history TARGET` as a table that fits a terminal, and `history TARGET ID` in full.
@Suite("history: the table and one deploy in full")
struct HistoryCommandTests {
    func deployed() throws -> (CLI, id: String) {
        let cli = CLI()
        for name in ["001_create_customers", "002_add_invoices_table", "003_backfill_invoice_totals"] {
            cli.migration(name + ".sql", "CREATE TABLE t\(name.prefix(3)) (id INTEGER PRIMARY KEY);\n")
        }
        cli.write("deploy.yml", "database:\n  path: app.db\ntargets:\n  local:\n    path: .\nsteps:\n  - migrate\n  - run: \"true\"\n")
        let deploy = try cli.run("deploy", "local", "--json")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        return (cli, try #require(deploy.jsonLines.last?["id"] as? String))
    }

    @Test("rows fit 80 columns: the migrations shortened; --json keeps them all")
    func fits() throws {
        let (cli, _) = try deployed()
        let table = try cli.run("history", "local").stdout
        let lines = table.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID  ") == true && lines.count == 2, "\(table)")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(table)")
        #expect(table.hasSuffix("  3 migrations\n"), "the names do not fit: \(table)")
        let json = try cli.run("history", "local", "--json").jsonLines
        #expect((json.first?["migrations"] as? [String])?.count == 3)
    }

    @Test("history TARGET ID: every migration and step of that deploy; --json adds one object per step")
    func detail() throws {
        let (cli, id) = try deployed()
        let detail = try cli.run("history", "local", id)
        #expect(detail.status == 0, "\(detail.stderr)")
        let lines = detail.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Deploy \(id) of local", "\(detail.stdout)")
        #expect(lines.contains("  migrations  001_create_customers.sql"), "\(detail.stdout)")
        #expect(lines.contains("              003_backfill_invoice_totals.sql"), "\(detail.stdout)")
        #expect(lines.contains { $0.hasPrefix("  1  migrate  ok  ") }, "\(detail.stdout)")
        let json = try cli.run("history", "local", id, "--json").jsonLines
        #expect(json.map { $0["event"] as? String } == ["deploy", "step_finished", "step_finished"])
        #expect(json[1]["migrations"] as? [String] == ["001_create_customers.sql", "002_add_invoices_table.sql", "003_backfill_invoice_totals.sql"])
    }

    @Test("an id that is not in the journal: exit 2 and where to find the ids")
    func unknownID() throws {
        let (cli, _) = try deployed()
        let r = try cli.run("history", "local", "20200101T000000Z-0000")
        #expect(r.status == 2)
        #expect(r.stderr.contains("no deploy 20200101T000000Z-0000 in the journal of local; `slipway history local` lists them"), "\(r.stderr)")
    }
}
