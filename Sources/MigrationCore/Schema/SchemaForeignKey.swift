/// One FOREIGN KEY clause of a table (`PRAGMA foreign_key_list`, one row per column pair).
public struct SchemaForeignKey: Sendable, Hashable, Codable {
    public var columns: [String]
    public var parent: String
    /// The parent's columns; empty when the clause names none (its primary key).
    public var parentColumns: [String]
    public var onUpdate: String
    public var onDelete: String
    public var match: String

    /// ON DELETE CASCADE: a DELETE on the parent would delete these rows, but not in
    /// slipway's migrations, which run with foreign keys unenforced.
    public var cascadesOnDelete: Bool { onDelete.uppercased() == "CASCADE" }
}
