import MigrationCore

extension Rollback {
    /// The same rollback on each selected database, one after the other (each in its
    /// own transaction, as alone); the first failure stops the rest, which are left
    /// as they are. Ends with a table: database, rolled back, result.
    func rollbackMany(_ settings: ResolvedSettings, _ options: RollbackOptions, _ reporter: Reporter) throws {
        let render = RollbackRenderer(reporter: reporter)
        var table = Table(header: ["DATABASE", "ROLLED BACK", "RESULT"])
        var failure: Error?
        var total = 0
        for path in settings.selection.paths {
            guard failure == nil else {
                table.rows.append([path, "-", "not started"])
                continue
            }
            let rollbacker = Rollbacker(
                directory: settings.directory, database: DatabaseOpener(path: path, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds),
                options: options, events: render.render)
            do {
                try rollbacker.run()
                table.rows.append([path, String(rollbacker.rolledBack.count), dryRun ? "dry run" : "ok"])
            } catch {
                reporter.report(DeployFailure("\(path): \(error)"))
                failure = error.isInvalidInput ? Exit.invalidInput : Exit.failure
                table.rows.append([path, String(rollbacker.rolledBack.count), "failed"])
            }
            total += rollbacker.rolledBack.count
            if reporter.json {
                var e = JSONEvent("summary")
                e.database = path; e.rolledBack = rollbacker.rolledBack.count; e.dryRun = dryRun; e.ok = table.rows.last?[2] != "failed"
                reporter.emit(e)
            }
        }
        if reporter.json {
            var e = JSONEvent("summary")
            e.databases = settings.selection.paths.count; e.rolledBack = total; e.dryRun = dryRun; e.ok = failure == nil
            reporter.emit(e)
        } else {
            table.lines().forEach { reporter.say($0) }
            reporter.say("\(failure == nil ? "Done" : "Failed"): \(count(total, "migration")) rolled back in \(count(settings.selection.paths.count, "database")).")
        }
        if let failure { throw failure }
    }
}
