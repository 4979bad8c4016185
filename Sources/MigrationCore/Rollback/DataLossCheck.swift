import SQLiteKit

/// Finds, before anything runs, what a rollback could not put back as it was:
/// rows written since the migration into what rollback drops or overwrites,
/// and rows the migration dropped without a copy.
struct DataLossCheck {
    let db: Connection

    func findings(_ record: RollbackRecord) throws -> [DataLossFinding] {
        guard record.down == nil else { return [] }
        var found: [DataLossFinding] = []
        let restored = Set(record.strategy == .backup ? record.written : Set(record.snapshots.map { $0.table.lowercased() }))
        for g in record.guards {
            guard try db.scalar("SELECT 1 FROM pragma_table_list(?)", [.text(g.table)]) != nil else { continue }
            let columns = g.column.map { $0.split(separator: "\n").map(String.init) }
            guard try TableDigest.of(g.table, columns: columns, byValue: g.byValue == true, on: db) != g.digest else { continue }
            let detail: String
            if let columns, g.restores == true {
                detail = "\(columns.joined(separator: ", ")) changed since the migration (or rows came or went); "
                    + "rollback writes back the values from before it, losing those changes"
            } else if let columns {
                detail = "column\(columns.count == 1 ? "" : "s") \(columns.joined(separator: ", ")) added by this migration "
                    + "hold\(columns.count == 1 ? "s" : "") values written since; rollback drops \(columns.count == 1 ? "it" : "them")"
            } else if restored.contains(g.table.lowercased()) {
                detail = "changed since the migration; rollback puts back its rows as they were before it, losing those changes"
            } else {
                let rows = try count(g.table)
                detail = "created by this migration and changed since; rollback drops it with its \(rows) row\(rows == 1 ? "" : "s")"
            }
            found.append(.init(filename: record.filename, table: g.table, detail: detail))
        }
        let renamedFrom = Set(record.renames.map { $0.from.lowercased() })
        for table in record.before where table.type == "table" {
            let lower = table.name.lowercased()
            let exists = try db.scalar("SELECT 1 FROM pragma_table_list(?)", [.text(table.name)]) != nil
            if !exists && !renamedFrom.contains(lower) && !restored.contains(lower) {
                found.append(.init(filename: record.filename, table: table.name,
                                   detail: "dropped by the migration and no copy of its rows was kept; rollback re-creates it empty"))
            }
        }
        return found
    }

    private func count(_ table: String) throws -> Int64 {
        try db.scalar("SELECT count(*) FROM \(SQLIdentifier.quote(table))")?.int ?? 0
    }
}
