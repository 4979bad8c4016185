import Testing
import PropertyBased
import SQLiteKit
@testable import MigrationCore

/// Builds a schema with data and migrations on it from a list of choices, so
/// that a failing case shrinks to fewer, simpler choices. Every statement is
/// valid on the model it keeps of the database. Several migration files run in
/// one run, so what a run remembers between migrations is exercised too.
struct MigrationScenario: CustomStringConvertible {
    var setup = ""
    var migrations = [""]

    private struct Table { var name: String; var columns: [String]; var hasKey: Bool; var rows: Int; var indexed: Set<String> = [] }

    init(_ choices: [Int]) {
        var c = choices.makeIterator()
        func next(_ n: Int) -> Int { (c.next() ?? 0) % max(n, 1) }
        let values = ["NULL", "0", "-7", "3.25", "'text'", "'é; --'", "X''", "X'00FF'", "''", "9223372036854775807"]
        var tables: [Table] = []
        for t in 0..<(1 + next(3)) {
            let columns = (0..<(1 + next(3))).map { "c\(t)\($0)" }
            let key = next(3)  // none, a rowid alias, one with AUTOINCREMENT (a counter in sqlite_sequence)
            let hasKey = key > 0
            let types = ["", " TEXT", " INTEGER", " REAL", " BLOB"]
            let defs = (hasKey ? ["id INTEGER PRIMARY KEY" + (key == 2 ? " AUTOINCREMENT" : "")] : []) + columns.map { $0 + types[next(types.count)] }
            setup += "CREATE TABLE t\(t) (\(defs.joined(separator: ", ")));\n"
            let rows = next(5)
            for _ in 0..<rows {
                setup += "INSERT INTO t\(t) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in values[next(values.count)] }.joined(separator: ", ")));\n"
            }
            tables.append(Table(name: "t\(t)", columns: columns, hasKey: hasKey, rows: rows))
        }
        var fresh = 0
        for _ in 0..<(1 + next(4)) {
            guard !tables.isEmpty else { break }
            let i = next(tables.count)
            let t = tables[i]
            let column = t.columns[next(t.columns.count)]
            switch next(12) {
            case 0: migrations[migrations.count - 1] += "INSERT INTO \(t.name) (\(column)) VALUES (\(values[next(values.count)]));\n"
            case 1: migrations[migrations.count - 1] += "UPDATE \(t.name) SET \(column) = \(values[next(values.count)]) WHERE rowid % 2 = \(next(2));\n"
            case 2: migrations[migrations.count - 1] += "DELETE FROM \(t.name) WHERE rowid = \(1 + next(4));\n"
            case 3:
                fresh += 1
                migrations[migrations.count - 1] += "ALTER TABLE \(t.name) ADD COLUMN n\(fresh) TEXT DEFAULT 'd';\nUPDATE \(t.name) SET n\(fresh) = 'x' WHERE rowid = 1;\n"
                tables[i].columns.append("n\(fresh)")
            case 4 where t.columns.count > 1 && !t.indexed.contains(column):  // SQLite refuses to drop an indexed column
                migrations[migrations.count - 1] += "ALTER TABLE \(t.name) DROP COLUMN \(column);\n"
                tables[i].columns.removeAll { $0 == column }
            case 5:
                fresh += 1
                migrations[migrations.count - 1] += "ALTER TABLE \(t.name) RENAME TO r\(fresh);\n"
                tables[i].name = "r\(fresh)"
            case 6:
                fresh += 1
                migrations[migrations.count - 1] += "ALTER TABLE \(t.name) RENAME COLUMN \(column) TO m\(fresh);\n"
                tables[i].columns[tables[i].columns.firstIndex(of: column)!] = "m\(fresh)"
                if tables[i].indexed.remove(column) != nil { tables[i].indexed.insert("m\(fresh)") }
            case 7:
                migrations[migrations.count - 1] += "DROP TABLE \(t.name);\n"
                tables.remove(at: i)
            case 8:
                fresh += 1
                migrations[migrations.count - 1] += "CREATE TABLE k\(fresh) (id INTEGER PRIMARY KEY, v); INSERT INTO k\(fresh) (v) SELECT \(column) FROM \(t.name);\n"
                tables.append(Table(name: "k\(fresh)", columns: ["v"], hasKey: true, rows: 0))
            case 9 where t.hasKey:  // an explicit key, maybe below the largest one (a rowid range must not hold it)
                migrations[migrations.count - 1] += "INSERT OR IGNORE INTO \(t.name) (id, \(column)) VALUES (\(1 + next(6)), \(values[next(values.count)]));\n"
            case 10 where t.hasKey:  // REPLACE deletes the row that has the key
                migrations[migrations.count - 1] += "INSERT OR REPLACE INTO \(t.name) (id, \(column)) VALUES (\(1 + next(6)), \(values[next(values.count)]));\n"
            default:
                fresh += 1
                migrations[migrations.count - 1] += "CREATE INDEX i\(fresh) ON \(t.name)(\(column));\n"
                tables[i].indexed.insert(column)
            }
            if next(3) == 0 { migrations.append("") }  // the next statements go in a file of their own
        }
        migrations.removeAll { $0.isEmpty }
    }

    var description: String {
        "-- setup\n\(setup)" + migrations.enumerated().map { "-- migration \($0.offset + 1)\n\($0.element)" }.joined()
    }
}

@Suite("Generated schemas and migrations: apply then roll back changes nothing")
struct RollbackPropertyTests {
    @Test("random schemas, data and migrations round-trip byte for byte", arguments: [
        Int64(64 << 20),
        1,  // every recording overflows: the column-copy and backup paths
    ])
    func roundTrip(_ limit: Int64) async {
        await propertyCheck(count: 150, input: Gen<Int>.value(in: 0...1000).array(of: 4...40)) { choices in
            let scenario = MigrationScenario(choices)
            try TempProject().roundTrip(setup: scenario.setup, migrations: scenario.migrations, scenario: "\(scenario)") {
                $0.recordingLimit = limit
            }
        }
    }
}
