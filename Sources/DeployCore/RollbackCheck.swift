import MigrationCore

/// The database half of `rollback TARGET`, checked before anything changes: which of
/// the deploy's migrations are still applied, whether each can be undone, what would
/// be lost, and the reverse SQL, from the Rollbacker's dry run (read-only; it creates
/// nothing). It runs on the target, as `slipway agent check-rollback` (see `Preflight`).
public struct RollbackCheck {
    public var path: String
    public var database: DatabaseSettings

    /// `path`: the target's folder, which relative database paths start from.
    public init(path: String, database: DatabaseSettings) {
        self.path = path
        self.database = database
    }

    public struct Reverse: Sendable, Equatable, Codable {
        public var filename: String
        public var source: String
        /// Each reverse step as SQL text, or what it does.
        public var steps: [String]
    }

    public struct Result: Sendable, Equatable, Codable {
        /// The deploy's migrations still applied, oldest first: what the rollback undoes.
        public var toRollBack: [String] = []
        /// The deploy's migrations no longer applied (an earlier, failed rollback undid them).
        public var alreadyUndone: [String] = []
        public var findings: [DataLossFinding] = []
        /// Newest first, as they would run.
        public var reverse: [Reverse] = []
        /// Set when the check itself could not run (on the target): what stops the rollback.
        public var error: String?

        public init() {}
    }

    /// The same check, run on the target by its slipway (`slipway agent check-rollback`).
    public static func onTarget(plan: Plan, database: DatabaseSettings, executor: any Executor,
                                migrations: [String]) -> Result {
        var arguments = ["agent", "check-rollback", "--db", database.path ?? "", "--dir", database.migrations ?? "migrations"]
        if let table = database.table { arguments += ["--table", table] }
        if let seconds = database.lockTimeout { arguments += ["--lock-timeout", String(seconds)] }
        for file in migrations { arguments += ["--migration", file] }
        let (status, lines) = executor.capture(plan.slipway(arguments))
        if let result = lines.last.flatMap({ AgentCoding.decode(Result.self, $0) }) { return result }
        var failed = Result()
        failed.error = "slipway on the target could not check the rollback (\(status.description)): \(lines.suffix(3).joined(separator: " "))"
        return failed
    }

    /// Checks `migrations` (a deploy's, oldest first). Throws what would stop the real
    /// rollback: a migration that cannot be undone, an unreadable database. With a
    /// pattern for `database.path` (a database per tenant), each match is checked: a
    /// migration is to roll back where it is still applied (the rollback step passes
    /// `--if-applied`), its findings name their database, and its reverse is shown once.
    public func run(migrations: [String]) throws(MigrationError) -> Result {
        guard !migrations.isEmpty else { return Result() }
        guard let dbPath = database.path else {
            throw .unknownMigration(migrations[0], detail: "deploy.yml has no database.path to roll it back in")
        }
        guard DatabaseSelection.isPattern(dbPath) else { return try check(migrations, at: local(dbPath), shown: dbPath, tagged: false) }
        var result = Result()
        var applied: Set<String> = []
        for match in try DatabaseSelection([local(dbPath)]).paths {
            let shown = match.hasPrefix(path + "/") ? String(match.dropFirst(path.count + 1)) : match
            let one: Result
            do {
                one = try check(migrations, at: match, shown: shown, tagged: true)
            } catch {
                // Which tenant stops the rollback matters as much as why.
                var failed = Result()
                failed.error = "\(shown): \(error)"
                return failed
            }
            applied.formUnion(one.toRollBack)
            result.findings += one.findings
            result.reverse += one.reverse.filter { r in !result.reverse.contains { $0.filename == r.filename } }
        }
        result.toRollBack = migrations.filter(applied.contains)
        result.alreadyUndone = migrations.filter { !applied.contains($0) }
        return result
    }

    private func local(_ p: String) -> String { p.hasPrefix("/") ? p : path + "/" + p }

    /// One database: `file` on disk, `shown` as messages name it; `tagged` findings carry it.
    private func check(_ migrations: [String], at file: String, shown: String, tagged: Bool) throws(MigrationError) -> Result {
        var result = Result()
        let opener = DatabaseOpener(path: file, busyTimeoutMilliseconds: 1000 * (database.lockTimeout ?? 60))
        let table = TrackingTable(name: database.table ?? "_migrations")
        guard let db = try opener.openForReading() else {
            throw .unknownMigration(migrations[0], detail: "the database \(shown) does not exist")
        }
        let applied: Set<String>
        do {
            applied = Set(try table.rows(on: db).map(\.filename))
        } catch let error as MigrationError {
            throw error
        } catch {
            throw .unknownMigration(migrations[0], detail: "cannot read \(table.name) in \(shown): \(error)")
        }
        result.toRollBack = migrations.filter(applied.contains)
        result.alreadyUndone = migrations.filter { !applied.contains($0) }
        guard !result.toRollBack.isEmpty else { return result }
        var options = RollbackOptions()
        options.filenames = result.toRollBack
        options.dryRun = true
        options.acceptDataLoss = true  // list the findings and the reverse SQL both; the caller decides
        options.table = table
        var findings: [DataLossFinding] = []
        var reverse: [Reverse] = []
        let rollbacker = Rollbacker(
            directory: MigrationDirectory(path: local(database.migrations ?? "migrations")), database: opener, options: options
        ) { event in
            switch event {
            case .dataLoss(var finding):
                if tagged { finding.database = shown }
                findings.append(finding)
            case .planned(let file, let source, let steps): reverse.append(Reverse(filename: file, source: source, steps: steps.map(\.description)))
            case .start, .rolledBack: break
            }
        }
        try rollbacker.run()
        result.findings = findings
        result.reverse = reverse
        return result
    }
}
