import DeployCore

extension DeployRenderer {
    /// After a fleet's run: a table of host × step and each host's final state, so that
    /// no host is left half-way without saying so.
    func fleet(places: [Place], plan: Plan, results: [HostDeploy.Result?]) {
        let states = results.map(Self.state)
        if reporter.json {
            for (place, result) in zip(places, results) {
                var e = DeployJSON("host"); e.server = place.description; e.state = Self.state(result)
                e.ok = if case .ran(let o)? = result { o.result == .succeeded } else { false }
                if case .ran(let o)? = result { e.id = o.id; e.result = o.result.rawValue }
                reporter.emit(e)
            }
            var s = DeployJSON("summary"); s.target = plan.target; s.ok = states.allSatisfy { $0 == "done" || $0 == "planned (dry run)" }
            s.hosts = places.map(\.description)
            reporter.emit(s)
            return
        }
        var table = Table(header: ["HOST"] + plan.steps.map { "\($0.number)" } + ["STATE"], gap: 1)
        for (place, result) in zip(places, results) {
            var cells = [place.description]
            for step in plan.steps {
                let status: String
                switch result {
                case .ran(let outcome)?:
                    switch outcome.steps.first(where: { $0.step.number == step.number })?.status {
                    case .ok?: status = "✓"
                    case .ignored?: status = "✗ ignored"
                    case .failed?, .timedOut?: status = "✗"
                    case .interrupted?: status = "✗ ^C"
                    case .notRun?, nil: status = "-"
                    }
                default: status = "-"
                }
                cells.append(status)
            }
            table.rows.append(cells + [Self.state(result)])
        }
        reporter.say("")
        table.lines().forEach { reporter.say($0) }
        let done = states.filter { $0 == "done" }.count
        let verdict = "\(plan.target): \(done) of \(count(places.count, "host")) done"
        reporter.say(done == places.count ? reporter.out.paint(verdict, .green) : reporter.out.paint(verdict, .red))
    }

    /// `untouched`, `done`, `refused (nothing changed): …`, `failed at step K`, `interrupted at step K`.
    static func state(_ result: HostDeploy.Result?) -> String {
        switch result {
        case nil: return "untouched"
        case .refused(let why)?: return "refused, nothing changed: \(why)"
        case .planned?: return "planned (dry run)"
        case .ran(let outcome)?:
            guard let failed = outcome.failedStep else {
                return outcome.journalError.map { "stopped: \($0)" } ?? "done"
            }
            let verb = failed.status == .interrupted ? "interrupted" : failed.status == .timedOut ? "timed out" : "failed"
            return "\(verb) at step \(failed.step.number) (\(failed.step.name))" + (outcome.journalError.map { "; \($0)" } ?? "")
        }
    }
}
