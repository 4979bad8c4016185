/// A view: its statement and the columns SQLite derives from it.
public struct SchemaView: Sendable, Hashable, Codable {
    public var name: String
    public var columns: [String]
    /// The CREATE VIEW statement as stored, in `SQLLayout`.
    public var sql: String
}
