/// The `.env` file beside deploy.yml: `NAME=value` lines that feed `${NAME}` in the
/// spec (the process environment wins, as with docker compose and dbmate).
///
/// The format is the common one: `#` comments and blank lines, an optional
/// `export ` prefix, values bare (a ` #` starts a comment), in single quotes
/// (literal) or in double quotes (`\n`, `\"`, `\\` escaped). A line that is none of
/// these is an error at its line and column, not silently skipped: a typo there
/// would otherwise surface as an unset variable somewhere else.
public struct DotEnv: Sendable, Equatable {
    public var values: [String: String]

    public init(text: String, file: String) throws(SpecError) {
        var values: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            var rest = Substring(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.isEmpty || rest.hasPrefix("#") { continue }
            if rest.hasPrefix("export ") { rest = rest.dropFirst(7).drop { $0 == " " } }
            let column = raw.distance(from: raw.startIndex, to: rest.startIndex) + 1
            guard let eq = rest.firstIndex(of: "=") else {
                throw SpecError(file: file, line: line, column: column, message: "expected NAME=value, found '\(rest.prefix(40))'")
            }
            let name = String(rest[..<eq]).trimmingTrailingSpaces()
            guard SpecString.isIdentifier(name) else {
                throw SpecError(file: file, line: line, column: column, message: "'\(name)' is not a variable name (letters, digits, _)")
            }
            let valueStart = rest.index(after: eq)
            let valueColumn = column + rest.distance(from: rest.startIndex, to: valueStart)
            values[name] = try Self.value(rest[valueStart...].drop { $0 == " " }, file: file, line: line, column: valueColumn)
        }
        self.values = values
    }

    private static func value(_ text: Substring, file: String, line: Int, column: Int) throws(SpecError) -> String {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            let bare = text.range(of: " #").map { text[..<$0.lowerBound] } ?? text
            return String(bare).trimmingTrailingSpaces()
        }
        var result = ""
        var escaped = false
        for (offset, c) in text.dropFirst().enumerated() {
            if escaped {
                result.append(c == "n" ? "\n" : c)
                escaped = false
            } else if c == "\\" && quote == "\"" {
                escaped = true
            } else if c == quote {
                let after = text.dropFirst(offset + 2).drop { $0 == " " }
                guard after.isEmpty || after.hasPrefix("#") else {
                    throw SpecError(file: file, line: line, column: column + offset + 2, message: "unexpected text after the closing \(quote)")
                }
                return result
            } else {
                result.append(c)
            }
        }
        throw SpecError(file: file, line: line, column: column, message: "the value's \(quote) is not closed on this line")
    }

    /// `environment` over these values: a variable set in the environment wins.
    public func under(_ environment: [String: String]) -> [String: String] {
        values.merging(environment) { _, fromEnvironment in fromEnvironment }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
