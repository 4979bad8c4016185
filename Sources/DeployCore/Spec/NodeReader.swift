import Yams

/// Typed reads of YAML nodes that fail with the node's position and what was expected.
struct NodeReader {
    let file: String

    func error(_ node: Node, _ message: String) -> SpecError {
        SpecError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
    }

    func mapping(_ node: Node, expected: String) throws(SpecError) -> [(Node, Node)] {
        guard case .mapping(let m) = node else { throw error(node, "expected \(expected), found \(describe(node))") }
        return m.map { ($0.key, $0.value) }
    }

    func sequence(_ node: Node, expected: String) throws(SpecError) -> [Node] {
        guard case .sequence(let s) = node else { throw error(node, "expected \(expected), found \(describe(node))") }
        return Array(s)
    }

    /// The key's text, if it is one of `allowed`; otherwise an "unknown key" error with a suggestion.
    func key(_ node: Node, allowed: [String]) throws(SpecError) -> String {
        guard let name = node.string else { throw error(node, "expected a key name, found \(describe(node))") }
        guard allowed.contains(name) else {
            let suggestion = allowed.min { editDistance(name, $0) < editDistance(name, $1) }
                .flatMap { editDistance(name, $0) <= 2 ? " (did you mean '\($0)'?)" : nil } ?? ""
            throw error(node, "unknown key '\(name)'\(suggestion); expected one of: \(allowed.joined(separator: ", "))")
        }
        return name
    }

    func string(_ node: Node, key: String) throws(SpecError) -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw error(node, "\(key): expected a non-empty string, found \(describe(node))") }
        return s.string
    }

    func bool(_ node: Node, key: String) throws(SpecError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error(node, "\(key): expected true or false, found \(describe(node))") }
        return value
    }

    func integer(_ node: Node, key: String, minimum: Int = 0) throws(SpecError) -> Int {
        guard case .scalar = node, let value = node.int, value >= minimum else {
            throw error(node, "\(key): expected a whole number ≥ \(minimum), found \(describe(node))")
        }
        return value
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// Levenshtein distance, for "did you mean" on unknown keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
