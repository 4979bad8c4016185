import SQLiteKit

/// Rows inserted into a table that the migration does nothing else to need no
/// session: its rollback deletes the rowids the migration added. The session's
/// per-row work (a pre-update hook at each insert, a lookup of each new row for
/// the changeset) is most of what recording costs on data fills and on the
/// audit rows that triggers write.
///
/// A range must hold every row the migration inserted into its table, so a new
/// row below the range's start is found, in one of two ways:
/// - a statement that only inserts into range tables: its rows above the ranges'
///   starts must be all the rows it changed (`sqlite3_total_changes`, which counts
///   what its triggers change too, and nothing for the REPLACE that ranges exclude);
/// - an UPDATE or DELETE of another table whose triggers insert into range tables (audit
///   rows): the same, once the rows of its own table (`sqlite3_changes`) are taken away;
/// - any other statement writing a range table: the table's rows are counted when its
///   range starts and at the end, which costs a pass over the table, so only tables up
///   to `rangeRowLimit` rowids take it.
///
/// A check that fails costs a rerun with the session, never a wrong record: every count
/// is of rows, so a row below a range's start or a write the check did not expect makes
/// the two sides differ.
extension ApplyRecorder {
    /// Where a rowid range started: the largest rowid before the first insert and,
    /// for a range that a statement writing other tables touches, the row count then.
    struct RangeStart {
        var after: Int64?
        var rows: Int64?
    }

    /// A statement that inserts into range tables, checked once it ran (`checkInserts`).
    struct InsertCheck {
        /// Per range table (name now, name before): its rows above the range's start before the statement.
        var tables: [(name: String, original: String, above: Int64)]
        var totalChanges: Int64
        /// The statement updates or deletes rows of a table that holds no range: `sqlite3_changes`
        /// counts those (and nothing its triggers do), which are no inserts into a range.
        var topLevelElsewhere: Bool
    }

    /// A table larger than this (by its rowid span) is not counted: it keeps the session
    /// when a statement that writes other tables too inserts into it.
    static let rangeRowLimit: Int64 = 1 << 16

    /// Whether rows inserted into `table` (`original`: its name before the migration) can
    /// be recorded as a rowid range from now: nothing recorded it yet, its rowid is its key,
    /// and neither a conflict clause of its definition (such a table is copied first) nor a
    /// trigger can replace (delete) rows.
    func rangeCandidate(_ table: String, _ original: String) throws -> Bool {
        guard case .session = mode, ranges[original] == nil, !noRanges.contains(original), !recordedRows.contains(original),
              !hasSnapshot(original), try facts.rowidIsKey(table, on: db)
        else { return false }
        return try !facts.definesReplace(table, on: db) && !facts.someTriggerMayReplace(on: db)
    }

    /// Starts the range of `table`; `counted` (a statement that writes other tables too)
    /// also counts its rows, or returns false when the table is too large for that.
    func startRange(_ table: String, _ original: String, counted: Bool) throws -> Bool {
        let q = SQLIdentifier.quote(table)
        startedHere.insert(original)
        guard counted else {
            ranges[original] = RangeStart(after: try db.cachedScalar("SELECT max(rowid) FROM \(q)")?.int, rows: nil)
            return true
        }
        // Two subqueries: SQLite reads min() and max() from the b-tree's ends only when each stands alone.
        let ends = try db.cached("SELECT (SELECT min(rowid) FROM \(q)), (SELECT max(rowid) FROM \(q))").rows().first ?? []
        let low = ends.first?.int, high = ends.last?.int
        if let low, let high, high.subtractingReportingOverflow(low).overflow || high - low > Self.rangeRowLimit { return false }
        let rows = high == nil ? 0 : try rowCount(table)
        ranges[original] = RangeStart(after: high, rows: rows)
        return true
    }

    /// Rows of `table` above its range's start.
    func rowsAbove(_ table: String, _ start: RangeStart) throws -> Int64 {
        guard let after = start.after else { return try rowCount(table) }
        return try db.cachedScalar("SELECT count(*) FROM \(SQLIdentifier.quote(table)) WHERE rowid > ?", [.integer(after)])?.int ?? 0
    }

    /// The table's rows: count(*) walks the b-tree's pages without reading rows.
    func rowCount(_ table: String) throws -> Int64 {
        try db.cachedScalar("SELECT count(*) FROM \(SQLIdentifier.quote(table))")?.int ?? 0
    }

    /// The table an `UPDATE` or `DELETE FROM` statement writes itself (not through its
    /// triggers), lowercased; nil for any other statement, or one on another schema.
    static func updatedOrDeleted(by sql: String) -> String? {
        var words = SQLWords(sql)
        switch words.next()?.uppercased() {
        case "UPDATE":
            var name = words.next()
            if name?.uppercased() == "OR" {
                _ = words.next()  // ROLLBACK, ABORT, FAIL or IGNORE (REPLACE never reaches here)
                name = words.next()
            }
            return Self.unqualified(name, &words)
        case "DELETE":
            guard words.next()?.uppercased() == "FROM" else { return nil }
            return Self.unqualified(words.next(), &words)
        default:
            return nil
        }
    }

    /// `name`, or the name after `main.`; nil for another schema or no name.
    private static func unqualified(_ name: String?, _ words: inout SQLWords) -> String? {
        guard let name, name != "(" else { return nil }
        var probe = words
        guard probe.next() == "." else { return SQLWords.unquote(name).lowercased() }
        guard SQLWords.unquote(name).lowercased() == "main", let table = probe.next() else { return nil }
        return SQLWords.unquote(table).lowercased()
    }

    /// Before a statement that inserts into range tables (names now, names before) and,
    /// when `topLevelElsewhere`, updates or deletes rows of a table without a range.
    func willCheckInserts(into tables: [(name: String, original: String)], topLevelElsewhere: Bool = false) throws {
        var check = InsertCheck(tables: [], totalChanges: db.totalChanges, topLevelElsewhere: topLevelElsewhere)
        for (name, original) in tables {
            guard let start = ranges[original] else { continue }
            // A range this statement starts has no row above its start yet.
            check.tables.append((name, original, startedHere.contains(original) ? 0 : try rowsAbove(name, start)))
        }
        insertCheck = check
    }

    /// After that statement: the rows it added above the ranges' starts must be every row
    /// it changed, but for its own table's rows when it updated or deleted another table.
    func checkInserts() {
        guard let check = insertCheck else { return }
        insertCheck = nil
        let own = check.topLevelElsewhere ? Int64(db.changes) : 0
        var added: Int64 = own
        for (name, original, above) in check.tables {
            guard let start = ranges[original], let now = try? rowsAbove(name, start) else { added = -1; break }
            added += now - above
        }
        if added != db.totalChanges - check.totalChanges { rangesFailed.formUnion(check.tables.map(\.original)) }
    }

    /// The rows each range holds now; nil (and `restart` set) when a range may not hold
    /// every row the migration inserted (one took a rowid at or below the range's start).
    func insertedRows() throws -> [RollbackRecord.InsertedRows]? {
        if !rangesFailed.isEmpty {
            restart = .withoutRange(rangesFailed)
            return nil
        }
        var now: [String: String] = [:]
        for (name, o) in originalName { now[o] = name }
        var found: [RollbackRecord.InsertedRows] = []
        for (o, start) in ranges.sorted(by: { $0.key < $1.key }) {
            let name = now[o] ?? o
            guard try db.hasTable(name) else { continue }
            // One pass over the new rows: their digest, how many, and the largest rowid.
            let (digest, rows, through) = try TableDigest.range(name, after: start.after, on: db)
            guard rows > 0, let through else { continue }
            if let before = start.rows, try rowCount(name) - before != rows {
                restart = .withoutRange([o])
                return nil
            }
            found.append(.init(table: name, after: start.after, through: through, rows: rows, digest: digest))
        }
        return found
    }
}
