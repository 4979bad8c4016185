/// A parsed deploy.yml: the `database` section (read by the migration commands
/// too), the targets and the steps.
public struct DeploySpec: Sendable, Equatable {
    /// The file it was read from.
    public var file: String
    public var app: String?
    public var database = DatabaseSettings()
    /// In file order.
    public var targets: [Target] = []
    public var steps: [Step] = []
    /// Run when a deploy fails after a step changed something (start the app again…), and journaled.
    public var onFailure: [Step] = []
    public var parallel: Int?

    public init(file: String) { self.file = file }

    /// The folder the file is in: relative paths of the local target start there.
    public var folder: String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    public func target(named name: String) -> Target? { targets.first { $0.name == name } }

    /// Every value taken from the environment anywhere in the spec: output masks them.
    public var secrets: [String] {
        var values: [String] = []
        func add(_ s: SpecString?) { values += s?.secrets ?? [] }
        func add(_ steps: [Step]) {
            for step in steps {
                switch step.kind {
                case .run(let c): add(c)
                case .pm2(_, let n): add(n)
                case .supervisor(_, let n, let c): add(n); add(c)
                case .gitPull, .migrate, .backup, .gitReset, .rollbackMigrations: break
                }
                add(step.options.name)
                for (_, v) in step.options.env { add(v) }
            }
        }
        add(steps)
        add(onFailure)
        for t in targets {
            add(t.path); add(t.user); add(t.key); add(t.keyPassphrase); add(t.knownHosts)
            for h in t.hosts { add(h) }
            add(t.steps ?? [])
        }
        values += database.secrets
        return Array(Set(values)).sorted()
    }
}
