import SQLiteKit

/// Rows inserted into a table that the migration does nothing else to need no
/// session: its rollback deletes the rowids the migration added. The session's
/// per-row work (a pre-update hook at each insert, a lookup of each new row for
/// the changeset) is most of what recording costs on data fills and on the
/// audit rows that triggers write.
extension ApplyRecorder {
    /// Where a rowid range started: the largest rowid and the row count before the first insert.
    struct RangeStart {
        var after: Int64?
        var rows: Int64
    }

    /// A table larger than this (by its rowid span) keeps the session: counting its rows
    /// (twice per migration) would cost more than the session does for a few inserts.
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

    /// Starts the range of `table`, or returns false when it is too large to count.
    func startRange(_ table: String, _ original: String) throws -> Bool {
        let q = SQLIdentifier.quote(table)
        // Two subqueries: SQLite reads min() and max() from the b-tree's ends only when each stands alone.
        let ends = try db.query("SELECT (SELECT min(rowid) FROM \(q)), (SELECT max(rowid) FROM \(q))").first ?? []
        let low = ends.first?.int, high = ends.last?.int
        if let low, let high, high.subtractingReportingOverflow(low).overflow || high - low > Self.rangeRowLimit { return false }
        let rows = high == nil ? 0 : try db.scalar("SELECT count(*) FROM \(q)")?.int ?? 0
        ranges[original] = RangeStart(after: high, rows: rows)
        return true
    }

    /// The rows each range holds now; nil (and `restart` set) when a range does not hold
    /// every row the migration inserted (one took a rowid at or below the range's start).
    func insertedRows() throws -> [RollbackRecord.InsertedRows]? {
        var now: [String: String] = [:]
        for (name, o) in originalName { now[o] = name }
        var found: [RollbackRecord.InsertedRows] = []
        for (o, start) in ranges.sorted(by: { $0.key < $1.key }) {
            let name = now[o] ?? o
            guard try db.hasTable(name) else { continue }
            let q = SQLIdentifier.quote(name)
            // Each alone: count(*) walks the b-tree's pages without reading rows, max(rowid) reads its last one.
            let rows = (try db.scalar("SELECT count(*) FROM \(q)")?.int ?? 0) - start.rows
            guard rows > 0, let through = try db.scalar("SELECT max(rowid) FROM \(q)")?.int else { continue }
            let rowids = TableDigest.Rowids(after: start.after, through: through)
            guard try db.scalar("SELECT count(*) FROM \(q) WHERE \(rowids.condition)")?.int == rows else {
                restart = .withoutRange([o])
                return nil
            }
            found.append(.init(table: name, after: start.after, through: through, rows: rows,
                               digest: try TableDigest.of(name, rowids: rowids, on: db)))
        }
        return found
    }
}
