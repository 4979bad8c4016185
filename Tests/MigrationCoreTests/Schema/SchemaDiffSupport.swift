import Foundation
import Testing
import SQLiteKit
@testable import MigrationCore

/// One schema change for `diff`: a database (schema and rows) and the schema it should get.
struct DiffCase: CustomTestStringConvertible, Sendable {
    var name: String
    var current: String
    var rows: String = ""
    var desired: String
    var renames: [SchemaRename] = []
    var testDescription: String { name }
}

extension TempProject {
    var schemaFile: String { root + "/schema.sql" }

    func dump() throws -> String { try DatabaseSchema.read(db(), excluding: "_migrations").dump }

    func diff(to desired: String, renames: [SchemaRename] = []) throws(MigrationError) -> MigrationDiff.Outcome {
        try! desired.write(toFile: schemaFile, atomically: true, encoding: .utf8)
        return try MigrationDiff(directory: MigrationDirectory(path: migrations), opener: DatabaseOpener(path: database), table: TrackingTable())
            .write(desiredFile: schemaFile, name: "change", renames: renames)
    }

    /// Row counts of every user table, by lowercased name.
    func counts() throws -> [String: Int64] {
        let db = try db()
        var counts: [String: Int64] = [:]
        for table in try DatabaseSchema.read(db, excluding: "_migrations").tables where !table.isVirtual {
            counts[table.name.lowercased()] = try db.scalar("SELECT count(*) FROM \(SQLIdentifier.quote(table.name))")?.int
        }
        return counts
    }

    /// diff → migrate → the dump equals the desired one, no row lost, foreign keys clean
    /// → rollback → the same dump and identical rows. Returns the migration's text.
    @discardableResult
    func roundTrip(_ c: DiffCase) throws -> String {
        write("001_start.sql", c.current + "\n" + c.rows)
        let first = migrate()
        try #require(first.error == nil, "\(first.error!)")
        let before = try FullState(database)
        let dumpBefore = try dump()
        let countsBefore = try counts()
        guard case .created(let path, _, _) = try diff(to: c.desired, renames: c.renames) else {
            #expect(c.current == c.desired, "diff found nothing to do")
            return ""
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let applied = migrate()
        #expect(applied.error == nil, "\(applied.error.map { "\($0)" } ?? "")\n\(text)")
        guard applied.error == nil else { return text }
        #expect(try dump() == DatabaseSchema.load(file: schemaFile, excluding: "_migrations").dump, "\(text)")
        let renamed = Dictionary(uniqueKeysWithValues: c.renames.filter { $0.table == nil }.map { ($0.old.lowercased(), $0.new.lowercased()) })
        let countsAfter = try counts()
        for (table, n) in countsBefore {
            if let after = countsAfter[renamed[table] ?? table] { #expect(after == n, "rows of \(table)\n\(text)") }
        }
        #expect(try checksClean())
        #expect(try diff(to: c.desired, renames: []) == .nothingToDo, "a second diff finds nothing")
        let back = rollback()
        #expect(back.error == nil, "\(back.error.map { "\($0)" } ?? "")\n\(text)")
        // The rows byte for byte; the schema as dumped (a written down section re-creates
        // objects in the dump's layout, not in the author's spacing).
        let after = try FullState(database)
        #expect(after.rows == before.rows, "\(text)\nbefore: \(before)\nafter: \(after)")
        #expect(try dump() == dumpBefore, "\(text)")
        return text
    }
}
