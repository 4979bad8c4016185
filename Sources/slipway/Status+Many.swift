import MigrationCore

extension Status {
    /// One row per database (how many migrations are in each state), then the totals:
    /// where a fleet of tenant databases stands at a glance. Reads only.
    func runMany(_ settings: ResolvedSettings, _ reporter: Reporter) throws {
        let files: [MigrationFile]
        do { files = try settings.directory.load() } catch { throw reporter.fail(error) }
        let states = Inventory.State.allCases
        var table = Table(header: ["DATABASE"] + states.map { $0.rawValue.uppercased() })
        var totals = [Inventory.State: Int]()
        for path in settings.selection.paths {
            var one = settings
            one.database = path
            let inventory: Inventory
            do { inventory = Inventory(files: files, rows: try readRows(one)) } catch { throw reporter.fail(error) }
            for state in states { totals[state, default: 0] += inventory.count(state) }
            if json {
                var e = JSONEvent("database")
                e.database = path
                e.applied = inventory.count(.applied); e.pending = inventory.count(.pending)
                e.modified = inventory.count(.modified); e.missing = inventory.count(.missing); e.adopted = inventory.count(.adopted)
                reporter.emit(e)
            }
            table.rows.append([path] + states.map { String(inventory.count($0)) })
        }
        if json {
            var s = JSONEvent("summary")
            s.databases = settings.selection.paths.count
            s.applied = totals[.applied]; s.pending = totals[.pending]; s.modified = totals[.modified]
            s.missing = totals[.missing]; s.adopted = totals[.adopted]; s.ok = true
            reporter.emit(s)
            return
        }
        reporter.say("\(count(settings.selection.paths.count, "database")), migrations in \(settings.migrations)")
        table.lines().forEach { reporter.say($0) }
        let behind = table.rows.filter { $0[2] != "0" }.count
        reporter.say(behind == 0 ? "Every database is up to date." : "\(count(behind, "database")) with pending migrations.")
    }
}
