import SQLiteKit

/// What one statement's authorizer events say about how to record it: only inserts
/// into range tables, only writes to columns this migration added, or neither.
extension ApplyRecorder {
    /// The tables (names now and before) of a statement whose every write, its triggers' too,
    /// inserts into a table that has or can take a rowid range (see `ApplyRecorder+Ranges`);
    /// nil for any other statement.
    func onlyInsertsIntoRanges(_ events: [AuthorizerEvent], _ insertsOnly: Set<String>) throws -> [(name: String, original: String)]? {
        guard !insertsOnly.isEmpty else { return nil }
        var tables: [(name: String, original: String)] = []
        for event in events {
            switch event.action {
            case .insert(let t), .update(let t, _), .delete(let t):
                let lower = t.lowercased()
                let main = event.database == nil || event.database == "main"
                if main && isInternal(lower) { continue }
                guard main, insertsOnly.contains(lower), !created.contains(lower), try isTable(t), let o = original(t),
                      try ranges[o] != nil || rangeCandidate(t, o)
                else { return nil }
                if !tables.contains(where: { $0.original == o }) { tables.append((t, o)) }
            default:
                continue
            }
        }
        return tables.isEmpty ? nil : tables
    }

    /// The tables (lowercased names now) a statement writes only by inserting rows, none when it may
    /// replace (REPLACE deletes the rows it conflicts with).
    func insertsOnly(_ events: [AuthorizerEvent], sql: @autoclosure () -> String) -> Set<String> {
        var inserted: Set<String> = [], other: Set<String> = []
        for event in events where event.database == nil || event.database == "main" {
            switch event.action {
            case .insert(let t): inserted.insert(t.lowercased())
            case .update(let t, _), .delete(let t): other.insert(t.lowercased())
            default: break
            }
        }
        guard !inserted.isEmpty, !SQLWords.mentions(sql(), "replace") else { return [] }
        return inserted.subtracting(other)
    }

    /// The tables (by their names before the migration) of a statement whose only
    /// writes set columns that this migration added to tables that existed before,
    /// and insert rows that a rowid range records (audit rows its triggers write);
    /// nil for any other statement. Its changes need no session: the reverse drops
    /// those columns. REPLACE is left out (it may delete rows that conflict).
    func onlySetsAddedColumns(_ events: [AuthorizerEvent], sql: String) throws -> Set<String>? {
        guard !columnsBefore.isEmpty else { return nil }
        var tables: Set<String> = []
        var inserts: [(name: String, original: String)] = []
        var insertsCreated: Set<String> = []
        for event in events where event.database == nil || event.database == "main" {
            switch event.action {
            case .insert(let t):
                let lower = t.lowercased()
                if isInternal(lower) { continue }
                if created.contains(lower) {
                    insertsCreated.insert(lower)
                    continue
                }
                guard let o = original(t), try ranges[o] != nil || rangeCandidate(t, o) else { return nil }
                if !inserts.contains(where: { $0.original == o }) { inserts.append((t, o)) }
            case .update(let t, let column):
                let lower = t.lowercased()
                if isInternal(lower) || created.contains(lower) { continue }
                guard let o = original(t), let before = columnsBefore[o], !renamedColumns.contains(o),
                      !before.contains(where: { $0.lowercased() == column.lowercased() }) else { return nil }
                tables.insert(o)
            case .read, .other(21), .other(31), .other(33):  // SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE
                continue
            default:
                return nil
            }
        }
        guard !tables.isEmpty, !SQLWords.mentions(sql, "replace") else { return nil }
        // This statement writes other tables too: the ranges it inserts into must be counted,
        // or checked by counts of changes when it is the UPDATE of a table it sets added columns of.
        let own = inserts.isEmpty ? nil : Self.updatedOrDeleted(by: sql)
        guard own.map({ tables.contains(original($0) ?? $0) }) ?? true else { return nil }
        if own == nil, inserts.contains(where: { ranges[$0.original].map { $0.rows == nil } ?? false }) { return nil }
        for insert in inserts where ranges[insert.original] == nil {
            guard try startRange(insert.name, insert.original, counted: own == nil) else { return nil }
        }
        if own != nil && !inserts.isEmpty { try willCheckInserts(into: inserts, topLevelElsewhere: true) }
        // Only inserts into AUTOINCREMENT tables move counters: read them before the first.
        if sequence == nil, try inserts.contains(where: { try db.hasAutoincrement($0.name) }) { try readSequence() }
        insertedInto.formUnion(insertsCreated)
        return tables.union(inserts.map(\.original))
    }
}
