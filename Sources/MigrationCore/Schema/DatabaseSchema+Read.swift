import SQLiteKit

extension DatabaseSchema {
    /// How much of the schema to read.
    public enum Detail: Sendable {
        /// Everything the model holds.
        case full
        /// The statements and names only: what `dump` prints and orders by (a table's
        /// `referencedTables` come from its text). Columns, foreign keys, index keys,
        /// CHECKs and table options are left empty.
        case definitions
    }

    /// Reads the schema of `db`'s main database through SQLite's pragmas, one
    /// joined query per pragma (not one per table), so a 500-table schema costs
    /// six statements. Throws SQLite's error when a pragma fails (a virtual
    /// table whose module is not loaded).
    public static func read(_ db: Connection, excluding trackingTable: String, detail: Detail = .full) throws -> DatabaseSchema {
        let full = detail == .full
        func kept(_ name: String) -> Bool { SchemaObject.isUsers(name, excluding: trackingTable) }
        let userVersion = Int(try db.scalar("PRAGMA user_version")?.int ?? 0)

        let all = try SchemaObject.read(db, excluding: trackingTable, autoindexes: true, order: "name")
        // Tables and views with their options; shadow tables belong to their virtual table.
        // table_list is read once on its own: joined to sqlite_schema, SQLite would list every table for each row.
        // It works out every view's columns, so the statements alone skip it unless a virtual table has shadows.
        var options: [String: (type: String, withoutRowID: Bool, strict: Bool)] = [:]
        // (SQLite writes the head of every CREATE TABLE it stores itself: "CREATE VIRTUAL TABLE".)
        if full || all.contains(where: { $0.type == "table" && ($0.sql ?? "").hasPrefix("CREATE VIRTUAL ") }) {
            for row in try db.query("SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'") {
                options[(row[0].string ?? "").lowercased()] = (row[1].string ?? "", row[2].int == 1, row[3].int == 1)
            }
        }
        let shadows = Set(options.filter { $0.value.type == "shadow" }.map(\.key))
        // SQLite's own indexes (sqlite_autoindex_…) stand for a table's UNIQUE and PRIMARY KEY constraints: kept.
        let listed = all.filter { !shadows.contains($0.table.lowercased()) }

        var columns: [String: [SchemaColumn]] = [:]
        for row in !full ? [] : try db.query("""
            SELECT m.name, x.name, x.type, x."notnull", x.dflt_value, x.pk, x.hidden
            FROM sqlite_schema AS m, pragma_table_xinfo(m.name) AS x
            WHERE m.type IN ('table', 'view') ORDER BY m.name, x.cid
            """) {
            let table = row[0].string ?? "", name = row[1].string ?? ""
            guard kept(table) else { continue }
            columns[table.lowercased(), default: []].append(SchemaColumn(
                name: name, type: row[2].string ?? "", notNull: row[3].int == 1, defaultSQL: row[4].string,
                primaryKey: Int(row[5].int ?? 0), collation: try db.collation(of: name, in: table) ?? "BINARY",
                kind: SchemaColumn.Kind(rawValue: Int(row[6].int ?? 0)) ?? .plain, generatedAs: nil))
        }

        var foreignKeys: [String: [Int: SchemaForeignKey]] = [:]
        for row in !full ? [] : try db.query("""
            SELECT m.name, f.id, f."table", f."from", f."to", f.on_update, f.on_delete, f.match
            FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq
            """) {
            let table = (row[0].string ?? "").lowercased(), id = Int(row[1].int ?? 0)
            var key = foreignKeys[table]?[id] ?? SchemaForeignKey(
                columns: [], parent: row[2].string ?? "", parentColumns: [],
                onUpdate: row[5].string ?? "", onDelete: row[6].string ?? "", match: row[7].string ?? "")
            key.columns.append(row[3].string ?? "")
            if let to = row[4].string { key.parentColumns.append(to) }
            foreignKeys[table, default: [:]][id] = key
        }

        var keys: [String: [SchemaIndex.Key]] = [:]
        var indexes: [String: SchemaIndex] = [:]
        for row in !full ? [] : try db.query("""
            SELECT m.name, l.name, l."unique", l.origin, l.partial, x.name, x."desc", x.coll, x.key
            FROM sqlite_schema AS m, pragma_index_list(m.name) AS l, pragma_index_xinfo(l.name) AS x
            WHERE m.type = 'table' ORDER BY m.name, l.name, x.seqno
            """) {
            let table = row[0].string ?? "", name = row[1].string ?? ""
            guard kept(table) else { continue }
            if indexes[name.lowercased()] == nil {
                indexes[name.lowercased()] = SchemaIndex(
                    name: name, table: table, unique: row[2].int == 1,
                    origin: SchemaIndex.Origin(rawValue: row[3].string ?? "") ?? .createIndex,
                    partial: row[4].int == 1, keys: [], sql: nil)
            }
            guard row[8].int == 1 else { continue }  // the rowid or primary key every index carries
            keys[name.lowercased(), default: []].append(
                SchemaIndex.Key(column: row[5].string, descending: row[6].int == 1, collation: row[7].string ?? "BINARY"))
        }

        var schema = DatabaseSchema(userVersion: userVersion)
        for object in listed {
            let type = object.type, name = object.name, sql = SQLLayout.normalized(object.sql ?? "")
            let lower = name.lowercased()
            switch type {
            case "table":
                let text = full ? SQLText(createTable: sql) : SQLText()
                var cols = columns[lower] ?? []
                for i in cols.indices where cols[i].isGenerated { cols[i].generatedAs = text.generated[cols[i].name.lowercased()] }
                schema.tables.append(SchemaTable(
                    name: name, columns: cols,
                    foreignKeys: (foreignKeys[lower] ?? [:]).sorted { $0.key < $1.key }.map(\.value),
                    checks: text.checks, strict: options[lower]?.strict ?? false, withoutRowID: options[lower]?.withoutRowID ?? false,
                    autoincrement: full ? try db.hasAutoincrement(name) : false, isVirtual: options[lower]?.type == "virtual", sql: sql))
            case "index":
                let own = SchemaIndex(name: name, table: object.table, unique: false,
                                      origin: object.sql == nil ? .unique : .createIndex, partial: false, keys: [], sql: nil)
                guard var index = full ? indexes[lower] : own else { continue }
                index.keys = keys[lower] ?? []
                index.sql = object.sql.map(SQLLayout.normalized)
                schema.indexes.append(index)
            case "view":
                schema.views.append(SchemaView(name: name, columns: (columns[lower] ?? []).map(\.name), sql: sql))
            case "trigger":
                schema.triggers.append(SchemaTrigger(name: name, table: object.table, sql: sql))
            default:
                continue
            }
        }
        return schema
    }
}

extension DatabaseSchema {
    /// The schema of the database `opener` names, opened read-only. A missing file
    /// is an error: an empty schema would read as "drop everything" to `diff`.
    public static func read(_ opener: DatabaseOpener, table: TrackingTable, detail: Detail = .full) throws(MigrationError) -> DatabaseSchema {
        guard let db = try opener.openForReading() else {
            throw .invalidDatabase(path: opener.path, reason: "it does not exist (check --db or database.path)")
        }
        return try opener.run("reading the schema") { try read(db, excluding: table.name, detail: detail) }
    }
}
