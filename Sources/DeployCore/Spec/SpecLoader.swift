#if canImport(Glibc)
import Glibc
#endif
import Yams

/// Reads deploy.yml into a `DeploySpec`, keeping line and column for every error.
///
/// The YAML is composed into `Node`s (Yams' `Decodable` path loses positions)
/// and checked key by key: unknown keys are errors, with a suggestion for near misses.
public struct SpecLoader: Sendable {
    /// Where `${VAR}` values come from.
    public var environment: [String: String]

    /// `environment` defaults to this process's environment.
    public init(environment: [String: String]? = nil) {
        self.environment = environment ?? Self.processEnvironment()
    }

    public func load(text: String, file: String) throws(SpecError) -> DeploySpec {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.locate(error, file: file, text: text)
        } catch {
            throw SpecError(file: file, line: 1, column: 1, message: "\(error)")
        }
        var spec = DeploySpec(file: file)
        guard let root else { return spec }
        let reader = NodeReader(file: file, environment: environment)
        let top = try reader.mapping(root, expected: "a mapping with app, database, targets and steps")
        var references = References()
        var stepsNode: Node?
        for (key, value) in top {
            reader.recover { () throws(SpecError) in
                switch try reader.key(key, allowed: ["app", "database", "targets", "steps", "on_failure", "parallel"]) {
                case "app": spec.app = try reader.specString(value, key: "app").value
                case "database": spec.database = try readDatabase(value, reader)
                case "targets": spec.targets = try readTargets(value, reader, &references)
                case "steps":
                    stepsNode = key
                    spec.steps = try readSteps(value, reader, &references, path: "steps")
                case "on_failure": spec.onFailure = try readSteps(value, reader, &references, path: "on_failure")
                default: spec.parallel = try reader.integer(value, key: "parallel", minimum: 1)
                }
            }
        }
        references.check(spec, reader, stepsKey: stepsNode)
        let errors = reader.found.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        guard var first = errors.first else { return spec }
        first.more = Array(errors.dropFirst())
        throw first
    }

    private func readDatabase(_ node: Node, _ reader: NodeReader) throws(SpecError) -> DatabaseSettings {
        var settings = DatabaseSettings()
        for (key, value) in try reader.mapping(node, expected: "a mapping with path, migrations, backup") {
            reader.recover { () throws(SpecError) in
                switch try reader.key(key, allowed: ["path", "migrations", "backup", "keep_backups", "keep_rollback", "table", "lock_timeout", "out_of_order", "schema_file"]) {
                case "path": settings.path = try reader.specString(value, key: "database.path").recording(&settings.secrets)
                case "migrations":
                    settings.migrations = try reader.specString(value, key: "database.migrations").recording(&settings.secrets)
                    settings.migrationsMark = SpecMark(value)
                case "backup": settings.backup = try reader.bool(value, key: "database.backup")
                case "keep_backups": settings.keepBackups = try reader.integer(value, key: "database.keep_backups", minimum: 1)
                case "keep_rollback": settings.keepRollback = try reader.integer(value, key: "database.keep_rollback", minimum: 0)
                case "table": settings.table = try reader.specString(value, key: "database.table").recording(&settings.secrets)
                case "out_of_order": settings.outOfOrder = try reader.bool(value, key: "database.out_of_order")
                case "schema_file":
                    settings.schemaFile = try reader.specString(value, key: "database.schema_file").recording(&settings.secrets)
                default: settings.lockTimeout = try reader.integer(value, key: "database.lock_timeout", minimum: 0)
                }
            }
        }
        settings.mark = SpecMark(node)
        return settings
    }

    static func locate(_ error: YamlError, file: String, text: String) -> SpecError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            let hint = IndentationHint.at(line: mark.line, in: text).map { "\n  hint: \($0)" } ?? ""
            return SpecError(file: file, line: mark.line, column: mark.column, message: "malformed YAML: \(problem)\(hint)")
        case .composer(_, let problem, let mark, _):
            return SpecError(file: file, line: mark.line, column: mark.column, message: "malformed YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the mapping's start; point at the second occurrence of the key instead.
            let name = duplicates.sorted().first ?? ""
            let (line, column) = secondOccurrence(of: name, in: text, after: context.mark.line) ?? (context.mark.line, context.mark.column)
            return SpecError(file: file, line: line, column: column, message: "duplicate key '\(name)'")
        default:
            return SpecError(file: file, line: 1, column: 1, message: "malformed YAML: \(error)")
        }
    }

    static func secondOccurrence(of key: String, in text: String, after line: Int) -> (Int, Int)? {
        var seen = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where index + 1 >= line {
            let indent = raw.prefix { $0 == " " || $0 == "-" }
            let rest = raw.dropFirst(indent.count)
            guard rest.hasPrefix(key), rest.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":") else { continue }
            seen += 1
            if seen == 2 { return (index + 1, indent.count + 1) }
        }
        return nil
    }

    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") { result[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
            pointer += 1
        }
        return result
    }
}

extension SpecString {
    /// The value, noting its environment parts in `secrets`.
    func recording(_ secrets: inout [String]) -> String {
        secrets += self.secrets
        return value
    }
}
