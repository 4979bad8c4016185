/// A 1-based place in a file, printed compiler-style as `file:line:column`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// "down" for a statement of a file's down section, which messages name after the file;
    /// `--json` keeps the file's path plain and says the section apart.
    public var section: String?

    public init(file: String, line: Int, column: Int, section: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.section = section
    }

    public var description: String { "\(file)\(section.map { " (\($0) section)" } ?? ""):\(line):\(column)" }
}
