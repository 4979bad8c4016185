/// A table: columns, constraints and the options SQLite keeps for it.
public struct SchemaTable: Sendable, Hashable, Codable {
    public var name: String
    public var columns: [SchemaColumn]
    public var foreignKeys: [SchemaForeignKey]
    /// CHECK expressions, table and column ones, normalized (see `SQLText`), in order.
    public var checks: [String]
    public var strict: Bool
    public var withoutRowID: Bool
    public var autoincrement: Bool
    /// A virtual table (`CREATE VIRTUAL TABLE … USING module`).
    public var isVirtual: Bool
    /// The CREATE TABLE statement as stored, in `SQLLayout` (SQLite rewrites it on ALTER TABLE).
    public var sql: String

    public func column(_ name: String) -> SchemaColumn? {
        columns.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The tables its foreign keys name: the word after each REFERENCES, unquoted, as
    /// `pragma_foreign_key_list` gives them. Read from the text, so that a schema read
    /// without its foreign keys (`.definitions`) dumps in the same order.
    public var referencedTables: [String] {
        guard SQLWords.mentions(sql, "references") else { return [] }
        var words = SQLWords(sql)
        var names: [String] = []
        var afterReferences = false
        while let r = words.nextRange() {
            if afterReferences { names.append(SQLWords.unquote(String(decoding: words.bytes[r], as: UTF8.self))) }
            afterReferences = SQLWords.isKeyword(words.bytes[r], "references")
        }
        return names
    }

    /// The primary key's columns, in key order.
    public var primaryKey: [String] {
        columns.filter { $0.primaryKey > 0 }.sorted { $0.primaryKey < $1.primaryKey }.map(\.name)
    }
}
