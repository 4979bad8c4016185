import SQLiteKit

/// lint's rules, fed by `runStatements` with each statement before and after it
/// runs on the copy of the database. Row counts and foreign keys are the copy's:
/// the real data as the earlier pending migrations leave it.
final class LintWatch {
    let db: Connection
    private(set) var findings: [LintFinding] = []
    /// Tables the pending migrations created: dropping one loses no real data.
    private var created: Set<String> = []
    private var transactional = true
    /// DROP TABLEs of this file, kept until the file ends: a later RENAME TO the same name makes it a rebuild.
    private var drops: [(table: String, at: SourceLocation, rows: Int64, children: [String])] = []
    private var addingTo: (table: String, columns: Set<String>)?
    /// The current file's down section, checked after its up (transactional files only).
    private var down: DownSectionCheck?
    /// Where the current file's findings begin in `findings`.
    private var fileStart = 0
    /// What the down section check found, added after the file's drops.
    private var downFindings: [LintFinding] = []

    init(db: Connection) { self.db = db }

    func begin(transactional: Bool, down: DownSectionCheck? = nil) {
        self.transactional = transactional
        self.down = down
        drops = []
        fileStart = findings.count
    }

    func willRun(_ s: LintStatement) throws {
        try down?.willRun(s)
        for action in s.own {
            switch action {
            case .createTable(let t): created.insert(t.lowercased())
            case .dropTable(let t) where !created.contains(t.lowercased()):
                drops.append((t, s.location, try rows(t), try cascadingChildren(of: t)))
            case .delete(let t) where !t.lowercased().hasPrefix("sqlite_") && !s.own.contains(where: { if case .dropTable = $0 { true } else { false } }):
                let children = try cascadingChildren(of: t)
                if !children.isEmpty {
                    found(.cascade, s, "DELETE FROM \(t): ON DELETE CASCADE does not fire in migrations, so rows of "
                        + "\(children.joined(separator: ", ")) that reference deleted rows stay (and fail foreign_key_check); delete them first")
                }
            case .alterTable(let t):
                try alter(t, s)
            case .pragma(let name, let argument?) where transactional && ["foreign_keys", "journal_mode"].contains(name.lowercased()):
                let why = name.lowercased() == "foreign_keys"
                    ? "has no effect inside the migration's transaction (slipway runs migrations with foreign keys unenforced and checks them after)"
                    : "cannot change the journal mode inside a transaction"
                found(.pragmaInTransaction, s, "PRAGMA \(name) = \(argument) \(why); put it in a '-- migrate:up transaction:false' migration")
            default:
                break
            }
        }
    }

    func didRun(_ s: LintStatement) throws {
        guard let adding = addingTo else { return }
        addingTo = nil
        for row in try db.query("SELECT name, \"notnull\", dflt_value FROM pragma_table_xinfo(?)", [.text(adding.table)])
        where !adding.columns.contains(row[0].string?.lowercased() ?? "") && row[1].int == 1 && row[2] == .null {
            found(.notNullWithoutDefault, s, "ADD COLUMN \(row[0].string ?? "") NOT NULL without a default: SQLite refuses it "
                + "on a table that has rows (\(adding.table) has none here); give it a DEFAULT")
        }
    }

    /// After the up, before the transaction ends: what the down section would not give back.
    func checkDown() throws {
        guard let down else { return }
        self.down = nil
        downFindings = try down.findings()
    }

    /// Drops that no RENAME turned into a rebuild are plain drops.
    func end() throws {
        for drop in drops {
            if !drop.children.isEmpty {
                findings.append(LintFinding(.cascade, at: drop.at, "DROP TABLE \(drop.table): ON DELETE CASCADE does not fire in migrations, "
                    + "so rows of \(drop.children.joined(separator: ", ")) that reference it stay"))
            }
            findings.append(LintFinding(.dropTable, at: drop.at, "drops \(drop.table) with its \(Self.rows(drop.rows))"))
        }
        drops = []
        findings += downFindings
        downFindings = []
        // In the file's order: drops and the down section's findings come after the statements that caused them.
        let file = findings[fileStart...].enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset) < ($1.element.location.line, $1.element.location.column, $1.offset)
        }
        findings.replaceSubrange(fileStart..., with: file.map(\.element))
    }

    func add(_ finding: LintFinding) { findings.append(finding) }

    private func alter(_ table: String, _ s: LintStatement) throws {
        switch AlterStatement(sql: s.sql) {
        case .dropColumn where !created.contains(table.lowercased()):
            found(.dropColumn, s, "drops a column of \(table) (\(Self.rows(try rows(table)))): its values are gone")
        case .renameTable(let to):
            guard let i = drops.firstIndex(where: { $0.table.lowercased() == to.lowercased() }) else { break }
            let drop = drops.remove(at: i)
            findings.append(LintFinding(.tableRebuild, at: drop.at, "rebuilds \(drop.table) (\(Self.rows(drop.rows))): \(table) takes its place, "
                + "with the rows the statements before copied; the rest are gone"))
            created.insert(to.lowercased())
        case .addColumn:
            let columns = try db.query("SELECT lower(name) FROM pragma_table_xinfo(?)", [.text(table)]).compactMap { $0[0].string }
            addingTo = (table, Set(columns))
        default:
            break
        }
    }

    private func found(_ code: LintFinding.Code, _ s: LintStatement, _ message: String) {
        findings.append(LintFinding(code, at: s.location, message))
    }

    /// "1 row", "2 rows".
    private static func rows(_ n: Int64) -> String { "\(n) row\(n == 1 ? "" : "s")" }

    private func rows(_ table: String) throws -> Int64 {
        try db.scalar("SELECT count(*) FROM \(SQLIdentifier.quote(table))")?.int ?? 0
    }

    /// Tables with rows whose foreign keys to `table` say ON DELETE CASCADE.
    private func cascadingChildren(of table: String) throws -> [String] {
        let names = try db.query("""
            SELECT DISTINCT m.name FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' AND lower(f."table") = lower(?) AND upper(f.on_delete) = 'CASCADE' AND lower(m.name) <> lower(?)
            ORDER BY m.name
            """, [.text(table), .text(table)]).compactMap { $0[0].string }
        return try names.filter { try rows($0) > 0 }
    }
}
