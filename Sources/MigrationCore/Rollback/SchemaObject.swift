import SQLiteKit

/// One row of `sqlite_master`: what a migration's schema diff is made of.
public struct SchemaObject: Sendable, Hashable, Codable {
    public var type: String
    public var name: String
    public var table: String
    public var rootpage: Int64
    /// Nil for indexes SQLite makes itself (UNIQUE and PRIMARY KEY constraints).
    public var sql: String?
}

/// The user's schema: `sqlite_master` without SQLite's own objects, slipway's
/// `_slipway*` tables and the tracking table.
public struct Schema: Sendable, Equatable {
    public var objects: [SchemaObject]

    public init(objects: [SchemaObject]) { self.objects = objects }

    /// The objects without their root pages, which VACUUM moves: what the schema says.
    var definitions: Set<[String]> {
        Set(objects.map { [$0.type, $0.name.lowercased(), $0.table.lowercased(), $0.sql ?? ""] })
    }

    public static func read(_ db: Connection, excluding trackingTable: String) throws -> Schema {
        let rows = try db.query("""
            SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT LIKE '\\_slipway%' ESCAPE '\\'
              AND lower(tbl_name) <> lower(?)
            ORDER BY rowid
            """, [.text(trackingTable)])
        return Schema(objects: rows.map {
            SchemaObject(type: $0[0].string ?? "", name: $0[1].string ?? "", table: $0[2].string ?? "",
                         rootpage: $0[3].int ?? 0, sql: $0[4].string)
        })
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
