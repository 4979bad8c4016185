import Yams

/// Typed reads of YAML nodes that fail with the node's position and what was expected.
struct NodeReader {
    let file: String
    /// Where `${VAR}` values come from.
    var environment: [String: String] = [:]
    /// The errors found so far; shared by copies of the reader.
    let found = Found()

    final class Found {
        var errors: [SpecError] = []
    }

    /// Runs `body`, keeping its error and returning nil, so the loader reads on and
    /// `check` can report every error of the file at once.
    func recover<T>(_ body: () throws(SpecError) -> T) -> T? {
        do { return try body() } catch {
            found.errors.append(error)
            return nil
        }
    }

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
    func key(_ node: Node, allowed: [String], what: String = "key") throws(SpecError) -> String {
        guard let name = node.string else { throw error(node, "expected a \(what), found \(describe(node))") }
        guard allowed.contains(name) else {
            let suggestion = Suggestion.closest(to: name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            throw error(node, "unknown \(what) '\(name)'\(suggestion); expected one of: \(allowed.joined(separator: ", "))")
        }
        return name
    }

    func string(_ node: Node, key: String) throws(SpecError) -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw error(node, "\(key): expected a non-empty string, found \(describe(node))") }
        return s.string
    }

    /// A string with `${VAR}` substituted; a variable that is not set is an error at its place.
    func specString(_ node: Node, key: String) throws(SpecError) -> SpecString {
        let text: String
        if case .scalar(let s) = node, node.int != nil || node.float != nil {
            text = s.string  // `port: 22` in an env mapping is the text "22"
        } else {
            text = try string(node, key: key)
        }
        switch SpecString.expand(text, environment: environment) {
        case .success(let value): return value
        case .failure(let missing):
            var at = error(node, "")
            // A plain one-line scalar starts at its mark: point at the `${`.
            if case .scalar(let s) = node, s.style == .plain, !text.contains("\n") { at.column += missing.offset }
            at.message = "\(key): environment variable '\(missing.name)' is not set (used as ${\(missing.name)}); "
                + "export it, or write $${\(missing.name)} for a literal ${\(missing.name)}"
            throw at
        }
    }

    /// One name or a list of names (`only: production` or `only: [staging, production]`).
    func stringList(_ node: Node, key: String) throws(SpecError) -> [(String, Node)] {
        if case .scalar = node { return [(try string(node, key: key), node)] }
        var names: [(String, Node)] = []
        for item in try sequence(node, expected: "\(key): a name or a list of names") {
            names.append((try string(item, key: key), item))
        }
        return names
    }

    /// Seconds, as a number or with a unit: `90`, `1.5`, `30s`, `5m`, `1h`.
    func duration(_ node: Node, key: String) throws(SpecError) -> Double {
        guard case .scalar(let s) = node else { throw error(node, "\(key): expected seconds (e.g. 30, 30s, 5m), found \(describe(node))") }
        var text = s.string
        var factor = 1.0
        if let unit = text.last, let f = ["s": 1.0, "m": 60.0, "h": 3600.0][String(unit)] {
            factor = f
            text.removeLast()
        }
        guard let value = Double(text), value > 0, value.isFinite else {
            throw error(node, "\(key): expected a positive number of seconds (e.g. 30, 30s, 5m), found \(describe(node))")
        }
        return value * factor
    }

    func isNull(_ node: Node) -> Bool {
        if case .scalar = node { return node.null != nil }
        return false
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
