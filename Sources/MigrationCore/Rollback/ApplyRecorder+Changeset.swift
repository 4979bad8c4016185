import SQLiteKit

/// What of the session's changeset the inverse needs, and whether it can be trusted.
extension ApplyRecorder {
    /// The changeset to record: UPDATEs without the columns the inverse must not
    /// write (see `leftOutColumns`) and, on a SQLite whose session does not see
    /// added-column defaults, with NULL old values of NOT NULL columns replaced by
    /// their default (the only value such a row can have held).
    func recordedChangeset(_ raw: [UInt8]) throws -> [UInt8] {
        let changeset = try Changeset.leavingOut(try leftOutColumns(), of: raw)
        guard !seesAddedColumnDefaults, deletedRows || !setColumns.isEmpty else { return changeset }
        return try Changeset.fillingNullOldValues(try notNullDefaults(), of: changeset)
    }

    /// Tables whose recorded old values may be wrong: on a SQLite whose session
    /// reports NULL for a column that `ALTER TABLE … ADD COLUMN … DEFAULT x` added
    /// after a row was stored (`Session.seesAddedColumnDefaults`), a NULL old
    /// value in a column with a constant default may stand for x. Such a table
    /// is copied first when the migration runs again; a changeset without such
    /// NULLs is exact, so the common case keeps the session.
    func doubtfulTables(in changeset: [UInt8]) throws -> Set<String> {
        // Old values are recorded only for rows that an UPDATE or DELETE changed.
        guard !seesAddedColumnDefaults, deletedRows || !setColumns.isEmpty else { return [] }
        var doubtful: Set<String> = []
        var defaults: [String: Set<Int>] = [:]
        for change in try Changeset.nullOldValues(in: changeset) {
            let table = change.table.lowercased()
            guard !doubtful.contains(table), let o = original(table) else { continue }
            if defaults[table] == nil {
                defaults[table] = Set(try facts.ordinaryColumns(change.table, on: db).enumerated().filter { $0.element.hasConstantDefault }.map(\.offset))
            }
            if !defaults[table]!.isDisjoint(with: change.columns) { doubtful.insert(o) }
        }
        return doubtful
    }

    /// Per table of the changeset (its name now, lowercased), the columns its UPDATEs
    /// must not carry: those this migration added (the reverse drops them) and, in a
    /// table it only updated, those no statement of it set. On SQLite 3.40 a session
    /// reports the latter as changed from NULL on rows stored before an earlier
    /// `ADD COLUMN … DEFAULT`: a change that never happened, whose inverse would write
    /// NULL. Key columns always stay; tables with hidden (generated) columns, or a
    /// column renamed here, are left whole.
    private func leftOutColumns() throws -> [String: Set<Int>] {
        var now: [String: String] = [:]
        for (name, o) in originalName { now[o] = name }
        var indexes: [String: Set<Int>] = [:]
        // UPDATE records come from UPDATEs, or from a row deleted and inserted again.
        let updated = Set(setColumns.keys).union(deletedRows ? insertedOrDeleted : [])
        for o in updated where !renamedColumns.contains(o) {
            let name = now[o] ?? o
            guard try db.hasTable(name) else { continue }
            let old = columnsBefore[o].map { Set($0.map { $0.lowercased() }) }
            let set = setColumns[o] ?? []
            let info = try facts.columns(name, on: db)
            guard !info.contains(where: { $0.hidden != 0 }) else { continue }
            var out: Set<Int> = []
            for (i, column) in info.map(\.lowercasedName).enumerated() where info[i].primaryKey == 0 {
                if old?.contains(column) == false || (!set.contains(column) && !insertedOrDeleted.contains(o)) { out.insert(i) }
            }
            if !out.isEmpty { indexes[name.lowercased()] = out }
        }
        return indexes
    }

    /// Per table that may have UPDATE or DELETE records (its name now, lowercased):
    /// the NOT NULL columns with a constant default, by index, and the value a row
    /// stored before the column was added reads as. A default whose type would
    /// convert it under the column's affinity is left out (it stays doubtful).
    private func notNullDefaults() throws -> [String: [Int: SQLiteValue]] {
        var now: [String: String] = [:]
        for (name, o) in originalName { now[o] = name }
        var defaults: [String: [Int: SQLiteValue]] = [:]
        for o in Set(setColumns.keys).union(deletedRows ? insertedOrDeleted : []) {
            let name = now[o] ?? o
            guard try db.hasTable(name) else { continue }
            let info = try facts.columns(name, on: db)
            guard !info.contains(where: { $0.hidden != 0 }) else { continue }
            for (i, column) in info.enumerated() where column.notNull {
                guard column.hasConstantDefault, let text = column.defaultSQL else { continue }
                let value = try facts.value(ofDefault: text, on: db)
                // Column affinity, by SQLite's rules (https://sqlite.org/datatype3.html, 3.1), decides
                // whether the stored default is the literal's value or a converted one.
                let type = column.type
                let affinity = type.contains("INT") ? "integer"
                    : ["CHAR", "CLOB", "TEXT"].contains(where: type.contains) ? "text"
                    : type.isEmpty || type.contains("BLOB") ? "blob"
                    : ["REAL", "FLOA", "DOUB"].contains(where: type.contains) ? "real" : "numeric"
                let kept = switch value {
                case .integer: affinity != "text" && affinity != "real"
                case .text: affinity == "text" || affinity == "blob"
                case .real: affinity == "real" || affinity == "blob"
                case .blob: true
                case .null: false
                }
                if kept { defaults[name.lowercased(), default: [:]][i] = value }
            }
        }
        return defaults
    }
}
