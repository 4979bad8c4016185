/// A string value from deploy.yml after `${VAR}` substitution, remembering which
/// parts came from the environment so that they can be masked as `***`.
///
/// `$${X}` is a literal `${X}` (for a shell that should expand it itself).
public struct SpecString: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Part: Sendable, Equatable {
        case literal(String)
        case variable(name: String, value: String)
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }
    public init(_ text: String) { parts = [.literal(text)] }
    public init(stringLiteral value: String) { self.init(value) }

    /// The real value, to run with.
    public var value: String {
        parts.map { part in
            switch part {
            case .literal(let s): s
            case .variable(_, let v): v
            }
        }.joined()
    }

    /// The value with every environment part shown as `***`: what output may show.
    public var masked: String {
        parts.map { part in
            switch part {
            case .literal(let s): s
            case .variable: "***"
            }
        }.joined()
    }

    public var description: String { masked }

    public var hasSecret: Bool { parts.contains { if case .variable = $0 { true } else { false } } }

    /// The values taken from the environment.
    public var secrets: [String] {
        parts.compactMap { if case .variable(_, let v) = $0 { v } else { nil } }
    }

    /// One command word: plain text, or pieces whose secret parts render as `***`.
    public var word: Command.Word {
        guard hasSecret else { return .text(value) }
        if parts.count == 1, case .variable(_, let v) = parts[0] { return .secret(v) }
        return .pieces(parts.map { part in
            switch part {
            case .literal(let s): .text(s)
            case .variable(_, let v): .secret(v)
            }
        })
    }

    /// Substitutes `${NAME}` from `environment`. Returns the parts, or the offset
    /// (in characters) and name of the first variable that is not set.
    static func expand(_ text: String, environment: [String: String]) -> Result<SpecString, Missing> {
        var parts: [Part] = []
        var literal = ""
        var i = text.startIndex
        var offset = 0
        while i < text.endIndex {
            let rest = text[i...]
            if rest.hasPrefix("$${") {
                literal += "${"
                i = text.index(i, offsetBy: 3)
                offset += 3
                continue
            }
            if rest.hasPrefix("${"), let close = rest.firstIndex(of: "}") {
                let name = String(rest[rest.index(i, offsetBy: 2)..<close])
                if isIdentifier(name) {
                    guard let value = environment[name] else { return .failure(Missing(name: name, offset: offset)) }
                    if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                    parts.append(.variable(name: name, value: value))
                    let length = name.count + 3
                    offset += length
                    i = text.index(after: close)
                    continue
                }
            }
            literal.append(text[i])
            i = text.index(after: i)
            offset += 1
        }
        if !literal.isEmpty || parts.isEmpty { parts.append(.literal(literal)) }
        return .success(SpecString(parts: parts))
    }

    struct Missing: Error {
        var name: String
        var offset: Int
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
