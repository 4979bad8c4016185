/// A database's schema as one comparable value: what `dump` prints, `diff`
/// compares and `lint` reasons about.
///
/// Unlike `Schema` (rollback's record of `sqlite_master` rows), it holds no
/// root pages, so two databases with the same definitions are equal however
/// their pages lie. SQLite's own objects, slipway's `_slipway*` tables and the
/// tracking table are not part of it.
public struct DatabaseSchema: Sendable, Hashable, Codable {
    public var tables: [SchemaTable]
    public var indexes: [SchemaIndex]
    public var views: [SchemaView]
    public var triggers: [SchemaTrigger]
    /// `PRAGMA user_version`; 0 when never set.
    public var userVersion: Int

    public init(tables: [SchemaTable] = [], indexes: [SchemaIndex] = [], views: [SchemaView] = [],
                triggers: [SchemaTrigger] = [], userVersion: Int = 0) {
        self.tables = tables
        self.indexes = indexes
        self.views = views
        self.triggers = triggers
        self.userVersion = userVersion
    }

    public func table(_ name: String) -> SchemaTable? {
        tables.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The indexes of `table`, SQLite's own ones included.
    public func indexes(on table: String) -> [SchemaIndex] {
        indexes.filter { $0.table.lowercased() == table.lowercased() }
    }

    public func triggers(on table: String) -> [SchemaTrigger] {
        triggers.filter { $0.table.lowercased() == table.lowercased() }
    }

    /// Tables whose foreign keys point at `table` (itself included when it refers to itself).
    public func children(of table: String) -> [SchemaTable] {
        tables.filter { $0.foreignKeys.contains { $0.parent.lowercased() == table.lowercased() } }
    }

    public var isEmpty: Bool { tables.isEmpty && indexes.isEmpty && views.isEmpty && triggers.isEmpty && userVersion == 0 }
}
