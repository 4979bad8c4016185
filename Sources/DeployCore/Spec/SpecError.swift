/// An error in deploy.yml, at a 1-based line and column, compiler-style.
///
/// The loader reads on after an error, so one `SpecError` carries every error of
/// the file: itself first, then `more`, in file order.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 0 when the error is about the file as a whole (it cannot be read): no line or column then.
    public var line: Int
    public var column: Int
    public var message: String
    /// The file's other errors, after this one.
    public var more: [SpecError] = []

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// An error about the whole file, which has no position.
    public init(file: String, message: String) {
        self.init(file: file, line: 0, column: 0, message: message)
    }

    /// An error at `mark`, or about the whole file when there is none.
    public init(file: String, at mark: SpecMark?, message: String) {
        self.init(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message)
    }

    public var hasPosition: Bool { line > 0 }

    /// This error and `more`, each on its own line.
    public var all: [SpecError] {
        var first = self
        first.more = []
        return [first] + more
    }

    public var description: String {
        all.map { ($0.hasPosition ? "\($0.file):\($0.line):\($0.column)" : $0.file) + ": error: \($0.message)" }
            .joined(separator: "\n")
    }
}
