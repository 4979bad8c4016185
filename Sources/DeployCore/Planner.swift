/// Turns a spec and a target into a plan. Pure: it reads no file and runs nothing,
/// so tests compare its output as data and `deploy --dry-run` creates nothing.
public struct Planner: Sendable {
    public var spec: DeploySpec
    /// The slipway executable the `migrate` and `backup` steps run on the target
    /// (locally, this very binary, so the same plan works on a remote host).
    /// On a remote host: the binary slipway keeps in that user's cache (`Host.remoteSlipway`).
    public var slipway: Command.Word

    public init(spec: DeploySpec, slipway: Command.Word) {
        self.spec = spec
        self.slipway = slipway
    }

    public init(spec: DeploySpec, slipway: String) {
        self.init(spec: spec, slipway: .text(slipway))
    }

    public enum PlanError: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownTarget(String, known: [String])
        case noDatabase(step: Int)

        public var description: String {
            switch self {
            case .unknownTarget(let name, let known):
                "no target '\(name)' in deploy.yml" + (Suggestion.closest(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? "")
                    + (known.isEmpty ? " (it defines no targets)" : "; targets: \(known.joined(separator: ", "))")
            case .noDatabase(let step):
                "step \(step) migrates or backs up, but deploy.yml has no database.path"
            }
        }
    }

    public func plan(target name: String) throws(PlanError) -> Plan {
        guard let target = spec.target(named: name) else { throw .unknownTarget(name, known: spec.targets.map(\.name)) }
        let path = target.isLocal ? resolve(target.path.value) : target.path.value
        let planned = try planSteps(target.steps ?? spec.steps, target: name, path: path, from: 1)
        var plan = Plan(app: spec.app, target: name, path: path, steps: planned, masker: Masker(secrets: spec.secrets), slipway: slipway)
        plan.onFailure = try planSteps(spec.onFailure, target: name, path: path, from: planned.count + 1).map { step in
            var step = step
            step.name = "on_failure: " + step.name
            return step
        }
        return plan
    }

    /// `steps` of the spec as commands for `target`, numbered from `from` (`only`/`except` applied).
    func planSteps(_ steps: [Step], target name: String, path: String, from first: Int) throws(PlanError) -> [PlannedStep] {
        var planned: [PlannedStep] = []
        for step in steps {
            let o = step.options
            guard o.only.isEmpty || o.only.contains(name), !o.except.contains(name) else { continue }
            let number = first + planned.count
            var command = try command(for: step.kind, number: number)
            command.workingDirectory = path
            command.timeout = o.timeout
            command.env = o.env.map { Command.Variable($0.0, $0.1.word) }
            planned.append(PlannedStep(
                number: number, name: o.name?.masked ?? step.kind.summary, kind: step.kind, command: command,
                retries: o.retries, continueOnError: o.continueOnError))
        }
        return planned
    }

    /// A local target's relative path starts at deploy.yml's folder (a remote one's at the login folder).
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || spec.folder == "." { return path }
        return path == "." ? spec.folder : spec.folder + "/" + path
    }

    func command(for kind: StepKind, number: Int) throws(PlanError) -> Command {
        switch kind {
        case .run(let line):
            return Command([.text("/bin/sh"), .text("-c"), line.word])
        case .gitPull:
            return Command(["git", "pull", "--ff-only"])
        case .pm2(let action, let app):
            return Command([.text("pm2"), .text(action.rawValue), app.word])
        case .supervisor(let action, let program, let config):
            var words: [Command.Word] = [.text("supervisorctl")]
            if let config { words += [.text("-c"), config.word] }
            return Command(words + [.text(action.rawValue), program.word])
        case .migrate:
            let db = spec.database
            guard let path = db.path else { throw .noDatabase(step: number) }
            var words = ["migrate", "--json", "--db", path, "--dir", db.migrations ?? "migrations"]
            if let table = db.table { words += ["--table", table] }
            if let seconds = db.lockTimeout { words += ["--lock-timeout", String(seconds)] }
            if db.backup { words += ["--backup", "--keep-backups", String(db.keepBackups ?? 5)] }
            if let keep = db.keepRollback { words += ["--keep-rollback", String(keep)] }
            if db.outOfOrder { words.append("--allow-out-of-order") }
            if db.allowModified { words.append("--allow-modified") }
            return slipway(words)
        case .backup:
            guard let path = spec.database.path else { throw .noDatabase(step: number) }
            return slipway(["backup", "--json", "--db", path, "--keep", String(spec.database.keepBackups ?? 5)])
        case .gitReset(let revision):
            return Command(["git", "reset", "--hard", revision])
        case .rollbackMigrations(let files):
            let db = spec.database
            guard let path = db.path else { throw .noDatabase(step: number) }
            var words = ["rollback", "--json", "--db", path, "--dir", db.migrations ?? "migrations"]
            if let table = db.table { words += ["--table", table] }
            if let seconds = db.lockTimeout { words += ["--lock-timeout", String(seconds)] }
            for file in files { words += ["--migration", file] }
            return slipway(words)
        }
    }

    /// slipway itself, run on the target with `arguments`.
    public func slipway(_ arguments: [String]) -> Command {
        Command([slipway] + arguments.map(Command.Word.text))
    }
}
