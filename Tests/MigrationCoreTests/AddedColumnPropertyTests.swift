import Testing
import PropertyBased
import SQLiteKit
@testable import MigrationCore

/// Migrations in the shape users write most (issue #11): columns added with a
/// default to tables that already have rows, then set by UPDATE, mixed with
/// updates of older columns, inserts, and triggers that write other tables.
/// `trustSession` stands for a SQLite whose session sees added-column defaults.
/// On one that does not (3.40) a session records NULL for a column added after
/// a row was stored, and reports a change there on any UPDATE of the row; so
/// with the probe forced to "sees", a table that had columns added by an
/// earlier migration is left alone (and triggers write only `audit`), so that
/// what is tested is slipway's side of the recording, not the forced probe's lie.
struct AddedColumnScenario: CustomStringConvertible {
    var setup = "CREATE TABLE audit (id INTEGER PRIMARY KEY, tbl TEXT, r INTEGER, v);\n"
    var migrations: [String] = []

    private struct Table { var name: String; var columns: [String]; var hasKey: Bool; var addedEarlier: [String] = [] }

    init(_ choices: [Int], trustSession: Bool) {
        var c = choices.makeIterator()
        func next(_ n: Int) -> Int { (c.next() ?? 0) % max(n, 1) }
        let values = ["NULL", "0", "-7", "3.25", "'text'", "X'00FF'", "''"]
        var tables: [Table] = []
        for t in 0..<(1 + next(3)) {
            let columns = (0..<(1 + next(2))).map { "c\(t)\($0)" }
            let hasKey = next(4) > 0
            let definitions = (hasKey ? ["id INTEGER PRIMARY KEY"] : []) + columns
            setup += "CREATE TABLE t\(t) (\(definitions.joined(separator: ", ")));\n"
            for _ in 0..<(1 + next(4)) {
                setup += "INSERT INTO t\(t) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in values[next(values.count)] }.joined(separator: ", ")));\n"
            }
            tables.append(Table(name: "t\(t)", columns: columns, hasKey: hasKey))
        }
        var fresh = 0
        for _ in 0..<(1 + next(3)) {
            var sql = ""
            var added: [Int: [String]] = [:]  // table index → columns this migration added
            let open = tables.indices.filter { !trustSession || tables[$0].addedEarlier.isEmpty }
            guard !open.isEmpty else { break }
            for _ in 0..<(1 + next(5)) {
                let i = open[next(open.count)]
                let t = tables[i]
                let old = t.columns[next(t.columns.count)]  // a column the table was created with
                switch next(7) {
                case 0, 1:
                    fresh += 1
                    let column = "n\(fresh)"
                    let definition = next(2) == 0 ? "INTEGER NOT NULL DEFAULT \(next(3))" : "TEXT DEFAULT 'd'"
                    sql += "ALTER TABLE \(t.name) ADD COLUMN \(column) \(definition);\n"
                    sql += "UPDATE \(t.name) SET \(column) = \(definition.hasPrefix("INTEGER") ? "rowid * 3" : "'x' || rowid") WHERE rowid % 2 = \(next(2));\n"
                    added[i, default: []].append(column)
                case 2 where !t.addedEarlier.isEmpty && next(2) == 0:
                    // Rows stored before an earlier migration's ADD COLUMN: 3.40's session says NULL for them.
                    let column = t.addedEarlier[next(t.addedEarlier.count)]
                    sql += "UPDATE \(t.name) SET \(column) = \(column) || '+' WHERE rowid % 2 = \(next(2));\n"
                case 2 where added[i] != nil:
                    let column = added[i]![next(added[i]!.count)]
                    sql += "UPDATE \(t.name) SET \(column) = 5, \(old) = \(values[next(values.count)]) WHERE rowid = \(1 + next(3));\n"
                case 3:
                    sql += "UPDATE \(t.name) SET \(old) = \(values[next(values.count)]) WHERE rowid % 3 = \(next(3));\n"
                case 4:
                    fresh += 1
                    let other = tables[next(tables.count)]
                    // An audit row below the audit range's start (explicit negative key) must send the table to the session.
                    let kind = next(3)
                    let body = kind == 1
                        ? "INSERT OR IGNORE INTO audit (id, tbl, r, v) VALUES (-(NEW.rowid * 1000 + \(fresh)), '\(t.name)', NEW.rowid, NEW.\(old));"
                        : kind == 0 || trustSession
                        ? "INSERT INTO audit (tbl, r, v) VALUES ('\(t.name)', NEW.rowid, NEW.\(old));"
                        : "UPDATE \(other.name) SET \(other.columns[0]) = 'trig' WHERE rowid = NEW.rowid + 1;"
                    sql += "CREATE TRIGGER g\(fresh) AFTER UPDATE ON \(t.name) BEGIN \(body) END;\n"
                case 5:
                    sql += "INSERT INTO \(t.name) (\(old)) VALUES (\(values[next(values.count)]));\n"
                default:
                    // A row stored before this migration's ADD COLUMN has no value for it (see above).
                    if !trustSession || added[i] == nil {
                        sql += "DELETE FROM \(t.name) WHERE rowid = \(1 + next(4));\n"
                    }
                }
            }
            for (i, columns) in added { tables[i].addedEarlier += columns }
            migrations.append(sql)
        }
    }

    var description: String {
        "-- setup\n\(setup)" + migrations.enumerated().map { "-- migration \($0.offset + 1)\n\($0.element)" }.joined()
    }
}

@Suite("Generated ADD COLUMN + UPDATE and trigger migrations: apply then roll back changes nothing")
struct AddedColumnPropertyTests {
    @Test("round trip under both answers of the added-column-defaults probe", arguments: [false, true])
    func roundTrip(_ seesDefaults: Bool) async {
        await propertyCheck(count: 80, input: Gen<Int>.value(in: 0...1000).array(of: 4...40)) { choices in
            let scenario = AddedColumnScenario(choices, trustSession: seesDefaults)
            try TempProject().roundTrip(setup: scenario.setup, migrations: scenario.migrations, scenario: "\(scenario)") {
                $0.sessionSeesAddedColumnDefaults = seesDefaults
            }
        }
    }
}
