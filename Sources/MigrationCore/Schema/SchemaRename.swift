/// A `--rename` hint: a drop and an add that are really one renamed table or column.
/// Without it `diff` cannot tell a rename from a drop and an add.
public struct SchemaRename: Sendable, Equatable {
    /// The table whose column is renamed (its name in the desired schema); nil for a table rename.
    public var table: String?
    public var old: String
    public var new: String

    public init(table: String? = nil, old: String, new: String) {
        self.table = table
        self.old = old
        self.new = new
    }

    /// `old:new` for a table, `table.old:new` (or `table.old:table.new`) for a column.
    public init?(parsing text: String) {
        let sides = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else { return nil }
        let left = sides[0].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let right = sides[1].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch (left.count, right.count) {
        case (1, 1): self.init(old: left[0], new: right[0])
        case (2, 1): self.init(table: left[0], old: left[1], new: right[0])
        case (2, 2) where left[0].lowercased() == right[0].lowercased(): self.init(table: left[0], old: left[1], new: right[1])
        default: return nil
        }
        if old.isEmpty || new.isEmpty || table?.isEmpty == true { return nil }
    }
}
