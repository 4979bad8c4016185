import Yams

extension SpecLoader {
    /// A list of steps: `- migrate`, or a mapping with one kind key and options:
    ///
    ///     - run: npm run build:backend
    ///       timeout: 5m
    ///       retries: 1
    func readSteps(_ node: Node, _ reader: NodeReader, _ refs: inout References, path: String) throws(SpecError) -> [Step] {
        var steps: [Step] = []
        for item in try reader.sequence(node, expected: "a list of steps") {
            if let step = reader.recover({ () throws(SpecError) in try readStep(item, reader, &refs) }) { steps.append(step) }
        }
        return steps
    }

    private func readStep(_ node: Node, _ reader: NodeReader, _ refs: inout References) throws(SpecError) -> Step {
        let line = node.mark?.line ?? 0, column = node.mark?.column ?? 0
        if case .scalar(let scalar) = node {
            let name = try reader.key(node, allowed: StepKind.names, what: "step kind")
            switch name {
            case "migrate": return Step(kind: .migrate, line: line, column: column)
            case "backup": return Step(kind: .backup, line: line, column: column)
            default:
                throw reader.error(node, "step '\(scalar.string)' needs a value: " + Self.usage[name, default: name])
            }
        }
        let entries = try reader.mapping(node, expected: "a step: a kind (\(StepKind.names.joined(separator: ", "))) with options")
        var kindEntry: (String, Node, Node)?
        var options = StepOptions()
        var config: SpecString?
        var configNode: Node?
        for (key, value) in entries {
            let name = try reader.key(key, allowed: StepKind.names + StepOptions.keys + ["config"], what: "step kind or option")
            if StepKind.names.contains(name) {
                if let first = kindEntry {
                    throw reader.error(key, "a step has one kind: '\(first.0)' and '\(name)' are both here; make them two steps")
                }
                kindEntry = (name, key, value)
                continue
            }
            switch name {
            case "name": options.name = try reader.specString(value, key: "name")
            case "timeout": options.timeout = try reader.duration(value, key: "timeout")
            case "retries": options.retries = try reader.integer(value, key: "retries", minimum: 0)
            case "continue_on_error": options.continueOnError = try reader.bool(value, key: "continue_on_error")
            case "only", "except":
                let names = try reader.stringList(value, key: name)
                refs.targets += names.map { ($0.0, $0.1, name) }
                if name == "only" { options.only = names.map(\.0) } else { options.except = names.map(\.0) }
            case "env":
                for (k, v) in try reader.mapping(value, expected: "env: a mapping of variable names to values") {
                    guard let variable = k.string, SpecString.isIdentifier(variable) else {
                        throw reader.error(k, "env: expected a variable name (letters, digits, _), found \(reader.describe(k))")
                    }
                    options.env.append((variable, try reader.specString(v, key: "env.\(variable)")))
                }
            default:
                config = try reader.specString(value, key: "config")
                configNode = key
            }
        }
        guard let (name, _, value) = kindEntry else {
            throw reader.error(node, "a step needs a kind: one of \(StepKind.names.joined(separator: ", "))")
        }
        if let configNode, name != "supervisor" {
            throw reader.error(configNode, "config: only a supervisor step takes a config (supervisorctl -c)")
        }
        let kind: StepKind
        switch name {
        case "run":
            kind = .run(try reader.specString(value, key: "run"))
        case "git":
            guard try reader.string(value, key: "git") == "pull" else {
                throw reader.error(value, "git: expected 'pull', found \(reader.describe(value))")
            }
            kind = .gitPull
        case "migrate", "backup":
            guard reader.isNull(value) else {
                throw reader.error(value, "\(name): takes no value (write '- \(name)'), found \(reader.describe(value))")
            }
            kind = name == "migrate" ? .migrate : .backup
        default:
            let allowed = name == "pm2" ? ProcessAction.allCases : ProcessAction.supervisor
            let text = try reader.specString(value, key: name)
            let words = text.value.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2, let action = ProcessAction(rawValue: String(words[0])), allowed.contains(action) else {
                throw reader.error(value, "\(name): expected '\(allowed.map(\.rawValue).joined(separator: "|")) NAME', found \(reader.describe(value))")
            }
            // Keep the name's secret parts: rebuild it from the parts after the action word.
            let nameValue = Self.dropFirstWord(text) ?? SpecString(String(words[1]))
            kind = name == "pm2" ? .pm2(action, nameValue) : .supervisor(action, nameValue, config: config)
        }
        return Step(kind: kind, options: options, line: line, column: column)
    }

    /// `stop ${APP}` → `${APP}`, keeping which parts are secret.
    static func dropFirstWord(_ text: SpecString) -> SpecString? {
        guard case .literal(let first)? = text.parts.first, let space = first.firstIndex(of: " ") else { return nil }
        let rest = first[first.index(after: space)...].drop { $0 == " " }
        var parts = Array(text.parts.dropFirst())
        if !rest.isEmpty { parts.insert(.literal(String(rest)), at: 0) }
        return parts.isEmpty ? nil : SpecString(parts: parts)
    }

    static let usage = [
        "run": "run: COMMAND",
        "git": "git: pull",
        "pm2": "pm2: stop|start|restart|reload NAME",
        "supervisor": "supervisor: stop|start|restart NAME",
    ]
}
