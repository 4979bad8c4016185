import SQLiteKit

/// One row of `sqlite_master`, as rollback records keep the objects a migration
/// changed or dropped (the JSON of records already stored uses these fields).
/// `DatabaseSchema` is the model built from these rows and SQLite's pragmas.
public struct SchemaObject: Sendable, Hashable, Codable {
    public var type: String
    public var name: String
    public var table: String
    public var rootpage: Int64
    /// Nil for indexes SQLite makes itself (UNIQUE and PRIMARY KEY constraints).
    public var sql: String?
}

extension SchemaObject {
    /// Whether `name` is the user's: not SQLite's (`sqlite_…`), not slipway's (`_slipway…`),
    /// not the tracking table. The one rule every reader and recorder of the schema applies;
    /// `read` says it in SQL.
    static func isUsers(_ name: String, excluding trackingTable: String) -> Bool {
        isUsers(lowercased: name.lowercased(), excludingLowercased: trackingTable.lowercased())
    }

    /// `isUsers` for names already lowercased, as the recorder holds them on its hot path.
    static func isUsers(lowercased name: String, excludingLowercased trackingTable: String) -> Bool {
        !name.hasPrefix("sqlite_") && !name.hasPrefix("_slipway") && name != trackingTable
    }

    /// The user's objects matching `condition` (SQL over `sqlite_master`'s columns), in
    /// `order`: what every reader of the schema leaves out in one place — SQLite's own
    /// objects (its automatic indexes are kept when `autoindexes`), slipway's `_slipway*`
    /// tables and the tracking table, with their indexes and triggers.
    static func read(_ db: Connection, where condition: String = "1", _ values: [SQLiteValue] = [],
                     excluding trackingTable: String, autoindexes: Bool = false, order: String = "rowid") throws -> [SchemaObject] {
        let own = autoindexes ? "(name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR (type = 'index' AND tbl_name NOT LIKE 'sqlite\\_%' ESCAPE '\\'))"
            : "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        return try db.query("""
            SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master
            WHERE (\(condition)) AND \(own) AND tbl_name NOT LIKE '\\_slipway%' ESCAPE '\\' AND tbl_name <> ? COLLATE NOCASE
            ORDER BY \(order)
            """, values + [.text(trackingTable)]).map {
            SchemaObject(type: $0[0].string ?? "", name: $0[1].string ?? "", table: $0[2].string ?? "",
                         rootpage: $0[3].int ?? 0, sql: $0[4].string)
        }
    }
}

/// The user's schema as `sqlite_master` rows (`SchemaObject.read`).
public struct Schema: Sendable, Equatable {
    public var objects: [SchemaObject]

    public init(objects: [SchemaObject]) { self.objects = objects }

    /// The objects without their root pages, which VACUUM moves: what the schema says.
    var definitions: Set<[String]> {
        Set(objects.map { [$0.type, $0.name.lowercased(), $0.table.lowercased(), $0.sql ?? ""] })
    }

    public static func read(_ db: Connection, excluding trackingTable: String) throws -> Schema {
        Schema(objects: try SchemaObject.read(db, excluding: trackingTable))
    }

    public var tables: [SchemaObject] { objects.filter { $0.type == "table" } }

    public func table(_ name: String) -> SchemaObject? {
        objects.first { $0.type == "table" && $0.name.lowercased() == name.lowercased() }
    }

    /// Every object's SQL, sorted by type and name, one statement per line: what
    /// "identical schema" means for rehearsal and the round-trip tests.
    public var normalized: String {
        objects.filter { $0.sql != nil }
            .sorted { ($0.type, $0.name.lowercased()) < ($1.type, $1.name.lowercased()) }
            .map { $0.sql! + ";" }
            .joined(separator: "\n")
    }
}
