import Testing
@testable import DeployCore

@Suite("Planner.rollbackPlan: the deploy's own stop and start steps around the reverse")
struct RollbackPlanTests {
    func planner(_ steps: String) throws -> Planner {
        let yaml = "database:\n  path: app.db\ntargets:\n  local:\n    path: /srv/app\nsteps:\n" + steps
        return Planner(spec: try SpecLoader().load(text: yaml, file: "/srv/app/deploy.yml"), slipway: "/bin/slipway")
    }

    @Test("the example's run steps stop and start the app: stop, reverse, check, start; no git reset for unmoved code")
    func example() throws {
        let p = try planner("  - run: scripts/example-app stop\n  - migrate\n  - run: sqlite3 app.db 'PRAGMA integrity_check'\n  - run: scripts/example-app start\n")
        let plan = try p.rollbackPlan(target: "local", deploy: "D1", revision: nil, migrations: ["001_a.sql", "002_b.sql"])
        #expect(plan.steps.map(\.kind.name) == ["run", "rollback", "run", "run"])
        #expect(plan.steps.first?.command.arguments.last == "scripts/example-app stop")
        #expect(plan.steps[1].command.arguments.suffix(4) == ["--migration", "002_b.sql", "--migration", "001_a.sql"])
        #expect(plan.steps.last?.command.arguments.last == "scripts/example-app start")
        #expect(plan.rollsBack == "D1")
        #expect(plan.steps[1].name == "roll back 002_b.sql, 001_a.sql")
        // Past two files the step's name (the summary table's, the journal's) keeps the count and the ends.
        let many = try p.rollbackPlan(target: "local", deploy: "D1", revision: nil, migrations: ["001_a.sql", "002_b.sql", "003_c.sql"])
        #expect(many.steps[1].name == "roll back 3 migrations, 003_c.sql … 001_a.sql")
        #expect(many.steps[1].command.arguments.filter { $0.hasSuffix(".sql") } == ["003_c.sql", "002_b.sql", "001_a.sql"])
    }

    @Test("database.backup: true puts a backup step before the reverse")
    func backupFirst() throws {
        let yaml = "database:\n  path: app.db\n  backup: true\ntargets:\n  local:\n    path: /srv/app\nsteps:\n  - migrate\n"
        let p = Planner(spec: try SpecLoader().load(text: yaml, file: "/srv/app/deploy.yml"), slipway: "/bin/slipway")
        let plan = try p.rollbackPlan(target: "local", deploy: "D1", revision: nil, migrations: ["001_a.sql"])
        #expect(plan.steps.map(\.kind.name) == ["backup", "rollback"])
        #expect(plan.steps[0].command.arguments.prefix(2) == ["/bin/slipway", "backup"])
    }

    @Test("with moved code: git reset to the revision before, between the reverse and the start steps")
    func movedCode() throws {
        let p = try planner("  - pm2: stop app\n  - git: pull\n  - migrate\n  - run: npm run build\n  - pm2: start app\n")
        let plan = try p.rollbackPlan(target: "local", deploy: "D2", revision: "abc123", migrations: [])
        #expect(plan.steps.map { $0.command.arguments.prefix(3).joined(separator: " ") } ==
            ["pm2 stop app", "git reset --hard", "/bin/sh -c npm run build", "pm2 start app"])
    }
}
