import Testing
@testable import DeployCore

@Suite("Planner: spec + target → commands, compared as data")
struct PlannerTests {
    let yaml = """
        app: cex
        database:
          path: db/monitor.db
          migrations: migrations
          backup: true
          keep_backups: 3
        targets:
          local:
            path: .
          production:
            host: example.com
            path: /var/www/cex
            steps:
              - pm2: stop cex
              - git: pull
              - migrate
              - run: npm run build:backend
                timeout: 120
                env:
                  TOKEN: ${TOKEN}
              - pm2: start cex
        steps:
          - migrate
          - run: echo "it's ${TOKEN}"
            only: local
          - run: echo never here
            except: [local]
        """

    func plan(_ target: String) throws -> Plan {
        let spec = try SpecLoader(environment: ["TOKEN": "tok-123"]).load(text: yaml, file: "/srv/app/deploy.yml")
        return try Planner(spec: spec, slipway: "/usr/bin/slipway").plan(target: target)
    }

    @Test("a remote target's own steps, in order, with their options")
    func production() throws {
        let plan = try plan("production")
        let dir = "/var/www/cex"
        #expect(plan.path == dir)
        #expect(plan.steps.map(\.command) == [
            Command(["pm2", "stop", "cex"], workingDirectory: dir),
            Command(["git", "pull", "--ff-only"], workingDirectory: dir),
            Command(["/usr/bin/slipway", "migrate", "--json", "--db", "db/monitor.db", "--dir", "migrations", "--backup", "--keep-backups", "3"],
                    workingDirectory: dir),
            Command([.text("/bin/sh"), .text("-c"), .text("npm run build:backend")],
                    env: [.init("TOKEN", .secret("tok-123"))], workingDirectory: dir, timeout: 120),
            Command(["pm2", "start", "cex"], workingDirectory: dir),
        ])
        #expect(plan.steps.map(\.name) == ["pm2 stop cex", "git pull", "migrate", "npm run build:backend", "pm2 start cex"])
        #expect(plan.tools == ["pm2", "git"])
        #expect(plan.steps[3].command.shellLine() == "cd '/var/www/cex' && TOKEN='***' '/bin/sh' '-c' 'npm run build:backend'")
    }

    @Test("only/except filter the top-level steps; a local path starts at deploy.yml's folder")
    func local() throws {
        let plan = try plan("local")
        #expect(plan.path == "/srv/app")
        #expect(plan.steps.count == 2)
        #expect(plan.steps[1].command.words == [
            .text("/bin/sh"), .text("-c"), .pieces([.text("echo \"it's "), .secret("tok-123"), .text("\"")]),
        ])
        // Every word quoted; the secret masked unless revealed.
        #expect(plan.steps[1].command.render() == #"'/bin/sh' '-c' 'echo "it'\''s ***"'"#)
        #expect(plan.steps[1].command.render(revealing: true) == #"'/bin/sh' '-c' 'echo "it'\''s tok-123"'"#)
        #expect(plan.masker.mask("token tok-123 here") == "token *** here")
    }

    @Test("a migrate step passes database.keep_rollback on, and leaves slipway's default alone otherwise")
    func keepRollback() throws {
        let yaml = "database:\n  path: app.db\n  keep_rollback: 0\ntargets:\n  local:\n    path: .\nsteps:\n  - migrate\n"
        let spec = try SpecLoader().load(text: yaml, file: "/srv/app/deploy.yml")
        let words = try Planner(spec: spec, slipway: "slipway").plan(target: "local").steps[0].command.words
        #expect(words.suffix(2) == [.text("--keep-rollback"), .text("0")])
        #expect(try plan("production").steps[2].command.words.contains(.text("--keep-rollback")) == false)
    }

    @Test("an unknown target is an error naming the known ones")
    func unknown() {
        #expect(throws: Planner.PlanError.unknownTarget("staging", known: ["local", "production"])) { try plan("staging") }
    }

    @Test("a path with shell syntax stays one word")
    func quoting() {
        let c = Command(["ls", "a b; rm -rf /", "$(x)"], workingDirectory: "/tmp/it's")
        #expect(c.shellLine() == #"cd '/tmp/it'\''s' && 'ls' 'a b; rm -rf /' '$(x)'"#)
    }
}
