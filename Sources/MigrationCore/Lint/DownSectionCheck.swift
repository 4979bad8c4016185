import SQLiteKit

/// lint's check of a transactional migration's hand-written down section, which
/// rollback runs instead of the reverse slipway records: the tables the up writes
/// (its triggers' writes included) are digested before their first write; after
/// the up, the down runs inside a savepoint, and what it does not give back is
/// data a rollback would lose. The savepoint is rolled back, so the later pending
/// migrations see what the up left.
final class DownSectionCheck {
    private let db: Connection
    private let down: MigrationSource.Section
    private let path: String
    private let trackingTable: String
    /// The user's objects before the up, by type and lowercased name.
    private let objectsBefore: Set<[String]>
    /// The tables the up writes, as they were before it, with the statement that first writes each.
    private var before: [(table: String, at: SourceLocation, digest: String)] = []
    private var seen: Set<String> = []

    init(db: Connection, down: MigrationSource.Section, path: String, trackingTable: String) throws {
        self.db = db
        self.down = down
        self.path = path
        self.trackingTable = trackingTable
        objectsBefore = try Self.objects(db, excluding: trackingTable)
    }

    /// Before a statement of the up runs.
    func willRun(_ s: LintStatement) throws {
        for event in s.events where event.database == nil || event.database == "main" {
            let table: String
            switch event.action {
            case .insert(let t), .delete(let t), .dropTable(let t), .alterTable(let t), .update(let t, _): table = t
            default: continue
            }
            // Only tables from before the file: one it made is gone again after a down that undoes it.
            guard objectsBefore.contains(["table", table.lowercased()]), seen.insert(table.lowercased()).inserted else { continue }
            before.append((table, s.location, try TableDigest.ofValues(table, on: db)))
        }
    }

    /// After the up: runs the down section and says what it leaves unlike before.
    func findings() throws -> [LintFinding] {
        try db.execute("SAVEPOINT _slipway_lint_down")
        defer {
            try? db.execute("ROLLBACK TO _slipway_lint_down")
            try? db.execute("RELEASE _slipway_lint_down")
        }
        if let failed = runDown() { return [failed] }
        let downAt = SourceLocation(file: path, line: down.firstLine, column: 1)
        var found: [LintFinding] = []
        let objectsAfter = try Self.objects(db, excluding: trackingTable)
        let missing = objectsBefore.subtracting(objectsAfter).sorted { $0.lexicographicallyPrecedes($1) }
        let left = objectsAfter.subtracting(objectsBefore).sorted { $0.lexicographicallyPrecedes($1) }
        if !missing.isEmpty || !left.isEmpty {
            let parts = (missing.isEmpty ? [] : ["it does not re-create " + missing.map { "\($0[0]) \($0[1])" }.joined(separator: ", ")])
                + (left.isEmpty ? [] : ["it leaves " + left.map { "\($0[0]) \($0[1])" }.joined(separator: ", ")])
            found.append(LintFinding(.rollbackLosesData, at: downAt, "after the up, the down section does not give the schema back: "
                + parts.joined(separator: "; ")))
        }
        for table in before where !missing.contains(["table", table.table.lowercased()]) {
            guard try TableDigest.ofValues(table.table, on: db) != table.digest else { continue }
            found.append(LintFinding(.rollbackLosesData, at: table.at, "after this and the down section, the rows of \(table.table) are not "
                + "what they were: rolling back through the down section would lose them; leave the down section empty and slipway "
                + "records an exact reverse"))
        }
        return found
    }

    /// Runs the down section; a finding when one of its statements fails.
    private func runDown() -> LintFinding? {
        let result = Result { () throws(MigrationError) in try DownSectionRunner(section: down, file: path, hint: nil).run(on: db) }
        guard case .failure(let error) = result else { return nil }
        guard case .statementFailed(let failure) = error else {
            return LintFinding(.downFails, at: SourceLocation(file: path, line: down.firstLine, column: 1),
                               "the down section fails after the up: \(error); rollback would fail here")
        }
        return LintFinding(.downFails, at: failure.location, "the down section fails after the up: \(failure.sqliteMessage); rollback would fail here")
    }

    private static func objects(_ db: Connection, excluding trackingTable: String) throws -> Set<[String]> {
        Set(try SchemaObject.read(db, excluding: trackingTable).map { [$0.type, $0.name.lowercased()] })
    }
}
