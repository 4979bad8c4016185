/// One column of a table or view, as `PRAGMA table_xinfo` and
/// `sqlite3_table_column_metadata` describe it.
public struct SchemaColumn: Sendable, Hashable, Codable {
    /// Why a column is hidden (`table_xinfo.hidden`): generated columns are
    /// computed, virtual tables' hidden columns are arguments.
    public enum Kind: Int, Sendable, Hashable, Codable {
        case plain = 0, hidden = 1, virtualGenerated = 2, storedGenerated = 3
    }

    public var name: String
    /// The declared type, as written (`""` when none).
    public var type: String
    public var notNull: Bool
    /// The default's SQL text, as written.
    public var defaultSQL: String?
    /// Position in the primary key, 1-based; 0 when not part of it.
    public var primaryKey: Int
    /// The collating sequence (`BINARY` unless declared).
    public var collation: String
    public var kind: Kind
    /// A generated column's expression, normalized (see `SQLText`).
    public var generatedAs: String?

    public var isGenerated: Bool { kind == .virtualGenerated || kind == .storedGenerated }
}
