import Testing
import PropertyBased
@testable import MigrationCore

/// A random schema with rows, and a random desired schema made from it by
/// changes of every kind `diff` handles, both built from a list of choices so
/// that a failing pair shrinks to a few simple changes. The rows satisfy both
/// schemas' constraints, so the migration can always succeed.
struct SchemaPair: CustomStringConvertible {
    struct Column { var name: String; var type: String; var notNullDefault = false }
    struct Table {
        var name: String
        var columns: [Column]
        var parent: String?
        var strict = false
        var check = false
        var indexed: String?
        var view = false
        var trigger = false

        func sql() -> String {
            var parts = ["id INTEGER PRIMARY KEY"]
            parts += columns.map { "\($0.name) \($0.type)" + ($0.notNullDefault ? " NOT NULL DEFAULT 0" : "") }
            if let parent { parts.append("p INTEGER REFERENCES \(parent) (id) ON DELETE CASCADE") }
            if check { parts.append("CHECK (id > 0)") }
            var text = "CREATE TABLE \(name) (\(parts.joined(separator: ", ")))\(strict ? " STRICT" : "");\n"
            if let indexed { text += "CREATE INDEX ix_\(name) ON \(name) (\(indexed));\n" }
            if view, let first = columns.first { text += "CREATE VIEW v_\(name) AS SELECT id, \(first.name) FROM \(name);\n" }
            if trigger { text += "CREATE TRIGGER tr_\(name) AFTER DELETE ON \(name) BEGIN SELECT old.id; END;\n" }
            return text
        }
    }

    var current: [Table] = []
    var desired: [Table] = []
    var rows = ""

    init(_ choices: [Int]) {
        var c = choices.makeIterator()
        func next(_ n: Int) -> Int { (c.next() ?? 0) % max(n, 1) }
        let types = ["INTEGER", "TEXT", "REAL", "ANY"]
        var fresh = 0
        for t in 0..<(1 + next(3)) {
            var table = Table(name: "t\(t)", columns: (0..<(1 + next(3))).map { Column(name: "c\($0)", type: types[next(3)]) })
            if t > 0 && next(2) == 0 { table.parent = "t\(next(t))" }
            table.strict = next(3) == 0
            if table.strict { table.columns = table.columns.map { var col = $0; if col.type == "ANY" { col.type = "TEXT" }; return col } }
            if next(2) == 0 { table.indexed = table.columns[next(table.columns.count)].name }
            table.view = next(3) == 0
            table.trigger = next(4) == 0
            current.append(table)
            for r in 1...(1 + next(3)) {
                let values = ["\(r)"] + table.columns.map { $0.type == "TEXT" ? "'v\(r)'" : "\(r)" } + (table.parent != nil ? ["1"] : [])
                rows += "INSERT INTO \(table.name) VALUES (\(values.joined(separator: ", ")));\n"
            }
        }
        desired = current
        for i in desired.indices {
            var t = desired[i]
            switch next(9) {
            case 0: fresh += 1; t.columns.append(Column(name: "n\(fresh)", type: "TEXT"))
            case 1: fresh += 1; t.columns.append(Column(name: "n\(fresh)", type: "INTEGER", notNullDefault: true))
            case 2 where t.columns.count > 1:  // drop the last column (the view and index move off it)
                let gone = t.columns.removeLast().name
                if t.indexed == gone { t.indexed = nil }
            case 3: t.strict.toggle(); t.columns = t.columns.map { var col = $0; if col.type == "ANY" { col.type = "TEXT" }; return col }
            case 4: fresh += 1; t.columns.insert(Column(name: "n\(fresh)", type: "TEXT"), at: 0)
            case 5: t.check.toggle()
            case 6: t.indexed = t.indexed == nil ? t.columns[0].name : nil
            case 7: t.view.toggle(); t.trigger.toggle()
            default: break
            }
            desired[i] = t
        }
        if next(3) == 0 { fresh += 1; desired.append(Table(name: "added\(fresh)", columns: [Column(name: "a", type: "TEXT")])) }
        // Drop a table no other desired table refers to.
        if next(3) == 0, let last = desired.last, !desired.contains(where: { $0.parent == last.name }), desired.count > 1 {
            desired.removeLast()
        }
    }

    var currentSQL: String { current.map { $0.sql() }.joined() }
    var desiredSQL: String { desired.map { $0.sql() }.joined() }
    var description: String { "-- current\n\(currentSQL)\(rows)-- desired\n\(desiredSQL)" }
}

@Suite("Generated schema pairs: diff, migrate, rollback")
struct SchemaDiffPropertyTests {
    @Test("the migration reaches the desired dump, keeps every row and rolls back")
    func roundTrip() async {
        await propertyCheck(count: 150, input: Gen<Int>.value(in: 0...1000).array(of: 6...40)) { choices in
            let pair = SchemaPair(choices)
            try TempProject().roundTrip(DiffCase(name: "generated", current: pair.currentSQL, rows: pair.rows, desired: pair.desiredSQL))
        }
    }
}
