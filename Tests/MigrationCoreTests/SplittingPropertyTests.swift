import Testing
import PropertyBased
import SQLiteKit
@testable import MigrationCore

/// Characters that break a naive `split(';')` runner: quotes, semicolons, comment
/// starts, CR and LF.
private let tricky: [Character] = ["a", "Z", ";", "-", "/", "*", "'", "\n", "\r\n", " ", "é", "\\", "\""]
private let separators = ["\n", " ", "\r\n", "\n-- note; with -- dashes\n", " /* block; comment */ ", "\n\n"]

@Suite("Generated migrations: SQLite splits them, rows come out byte for byte")
struct SplittingPropertyTests {
    @Test("strings full of ';', '--', quotes and line breaks survive, and a failing statement's line is exact")
    func roundTrip() async {
        // Indices rather than characters, so a failing case shrinks towards plain "a"s.
        let values = Gen<Int>.value(in: 0...(tricky.count - 1)).array(of: 0...12)
            .map { String($0.map { tricky[$0] }) }.array(of: 1...8)
        await propertyCheck(count: 60, input: values, Gen<Int>.value(in: 0...5)) { strings, style in
            let p = TempProject()
            var sql = "CREATE TABLE t (v TEXT);"
            for (i, s) in strings.enumerated() {
                sql += separators[(style + i) % separators.count]
                sql += "INSERT INTO t VALUES ('" + s.replacing("'", with: "''") + "');"
            }
            sql += separators[style]
            let failingLine = sql.utf8.filter { $0 == 0x0A }.count + 1
            sql += "INSERT INTO missing_table VALUES (1);"
            p.write("001_gen.sql", sql)

            let run = p.migrate()
            guard case .statementFailed(let failure)? = run.error else {
                Issue.record("expected the last statement to fail, got \(String(describing: run.error))")
                return
            }
            #expect(failure.statementIndex == strings.count + 2)
            #expect(failure.location.line == failingLine)
            #expect(failure.statement == "INSERT INTO missing_table VALUES (1);")

            // Without the failing statement the file applies and every value is stored exactly.
            p.write("001_gen.sql", String(sql.dropLast("INSERT INTO missing_table VALUES (1);".count)))
            #expect(p.migrate().error == nil)
            let stored = try p.rows("SELECT v FROM t ORDER BY rowid").map { $0[0] }
            #expect(stored == strings.map { SQLiteValue.text($0) })
        }
    }
}
