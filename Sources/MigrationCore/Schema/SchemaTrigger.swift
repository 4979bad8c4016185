/// A trigger and the table or view it fires on.
public struct SchemaTrigger: Sendable, Hashable, Codable {
    public var name: String
    public var table: String
    /// The CREATE TRIGGER statement as stored, in `SQLLayout`.
    public var sql: String
}
