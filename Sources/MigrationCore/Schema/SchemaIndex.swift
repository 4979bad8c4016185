/// An index: one the user created, or one SQLite made for a UNIQUE or PRIMARY
/// KEY constraint (those have no SQL and live and die with their table).
public struct SchemaIndex: Sendable, Hashable, Codable {
    /// Where the index comes from (`PRAGMA index_list.origin`).
    public enum Origin: String, Sendable, Hashable, Codable {
        case createIndex = "c", unique = "u", primaryKey = "pk"
    }

    /// One key of the index (`PRAGMA index_xinfo`, key columns only).
    public struct Key: Sendable, Hashable, Codable {
        /// Nil for an expression (its text is in the index's SQL).
        public var column: String?
        public var descending: Bool
        public var collation: String
    }

    public var name: String
    public var table: String
    public var unique: Bool
    public var origin: Origin
    public var partial: Bool
    public var keys: [Key]
    /// The CREATE INDEX statement as stored, in `SQLLayout`; nil for SQLite's own indexes.
    public var sql: String?
}
