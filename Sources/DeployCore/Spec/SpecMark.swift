import Yams

/// A 1-based line and column in deploy.yml, kept for errors found after loading
/// (a migrations folder that does not exist).
public struct SpecMark: Sendable, Equatable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init?(_ node: Node) {
        guard let mark = node.mark else { return nil }
        self.init(line: mark.line, column: mark.column)
    }
}
