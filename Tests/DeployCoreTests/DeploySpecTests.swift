import Testing
@testable import DeployCore

@Suite("deploy.yml targets and steps: every error with its line and column")
struct DeploySpecTests {
    let env = ["TOKEN": "s3cr3t-value", "APP": "cex"]

    func load(_ text: String) throws(SpecError) -> DeploySpec {
        try SpecLoader(environment: env).load(text: text, file: "deploy.yml")
    }

    func error(_ text: String) -> String? {
        do { _ = try load(text); return nil } catch { return error.description }
    }

    static let base = "targets:\n  local:\n    path: .\n  production:\n    host: example.com\n    path: /srv/app\n"

    @Test("a full spec is read: targets, steps, options, target steps")
    func full() throws {
        let spec = try load(Self.base + """
            steps:
              - pm2: stop ${APP}
              - git: pull
              - migrate
              - run: npm run build
                name: build
                timeout: 5m
                retries: 2
                continue_on_error: true
                only: production
                env:
                  API_KEY: ${TOKEN}
              - supervisor: restart web
                config: sv.conf
                except: [local]
              - backup
            """)
        #expect(spec.targets.map(\.name) == ["local", "production"])
        #expect(spec.target(named: "production")?.hosts == ["example.com"])
        #expect(spec.steps.count == 6)
        #expect(spec.steps[0].kind == .pm2(.stop, SpecString(parts: [.variable(name: "APP", value: "cex")])))
        #expect(spec.steps[1].kind == .gitPull)
        let build = spec.steps[3]
        #expect(build.options.timeout == 300)
        #expect(build.options.retries == 2)
        #expect(build.options.continueOnError)
        #expect(build.options.only == ["production"])
        #expect(build.options.env.first?.1.value == "s3cr3t-value")
        #expect(spec.steps[4].kind == .supervisor(.restart, "web", config: "sv.conf"))
        #expect(spec.secrets == ["cex", "s3cr3t-value"])
    }

    @Test("unknown step kinds, options and target keys suggest the near miss")
    func unknown() {
        #expect(error(Self.base + "steps:\n  - migrat\n")
            == "deploy.yml:8:5: error: unknown step kind 'migrat' (did you mean 'migrate'?); expected one of: run, git, migrate, pm2, supervisor, backup")
        #expect(error(Self.base + "steps:\n  - run: x\n    timout: 3\n")?
            .hasPrefix("deploy.yml:9:5: error: unknown step kind or option 'timout' (did you mean 'timeout'?)") == true)
        #expect(error("targets:\n  local:\n    pth: .\n")?.hasPrefix("deploy.yml:3:5: error: unknown key 'pth' (did you mean 'path'?)") == true)
        #expect(error(Self.base + "steps:\n  - deploy: now\n")?.hasPrefix("deploy.yml:8:5: error: unknown step kind or option 'deploy'") == true)
    }

    @Test("wrong types and bad values say what is expected")
    func values() {
        #expect(error(Self.base + "steps: migrate\n") == "deploy.yml:7:8: error: expected a list of steps, found 'migrate'")
        #expect(error(Self.base + "steps:\n  - run: x\n    retries: many\n")
            == "deploy.yml:9:14: error: retries: expected a whole number ≥ 0, found 'many'")
        #expect(error(Self.base + "steps:\n  - pm2: halt app\n")
            == "deploy.yml:8:10: error: pm2: expected 'stop|start|restart|reload NAME', found 'halt app'")
        #expect(error(Self.base + "steps:\n  - supervisor: reload app\n")
            == "deploy.yml:8:17: error: supervisor: expected 'stop|start|restart NAME', found 'reload app'")
        #expect(error(Self.base + "steps:\n  - git: push\n") == "deploy.yml:8:10: error: git: expected 'pull', found 'push'")
        #expect(error(Self.base + "steps:\n  - run: x\n    timeout: soon\n")?.hasPrefix("deploy.yml:9:14: error: timeout: expected a positive number") == true)
        #expect(error(Self.base + "steps:\n  - run\n") == "deploy.yml:8:5: error: step 'run' needs a value: run: COMMAND")
        #expect(error(Self.base + "steps:\n  - migrate: now\n")?.hasPrefix("deploy.yml:8:14: error: migrate: takes no value") == true)
        #expect(error("targets:\n  local:\n    path: .\n    port: 70000\nsteps: [migrate]\n")?.hasPrefix("deploy.yml:4:11: error: local.port") == true)
        #expect(error("targets:\n  local:\n    host: a\nsteps: [migrate]\n")?.hasPrefix("deploy.yml:2:3: error: target 'local' has no path") == true)
        #expect(error("targets:\n  local:\n    path: .\n") == "deploy.yml:2:3: error: target 'local' has no steps: add `steps:` at the top level or under the target")
    }

    @Test("only, except and rehearse_on must name targets that exist")
    func references() {
        #expect(error(Self.base + "steps:\n  - run: x\n    only: [prodution]\n")
            == "deploy.yml:9:12: error: only: unknown target 'prodution' (did you mean 'production'?); targets: local, production")
        #expect(error(Self.base + "steps:\n  - run: x\n    except: staging\n")?.hasPrefix("deploy.yml:9:13: error: except: unknown target 'staging'") == true)
        #expect(error("targets:\n  prod:\n    path: /a\n    rehearse_on: staging\nsteps: [migrate]\n")?
            .hasPrefix("deploy.yml:4:18: error: rehearse_on: unknown target 'staging'") == true)
    }

    @Test("a missing ${VAR} is an error at its place; $${VAR} is literal")
    func variables() throws {
        #expect(error(Self.base + "steps:\n  - run: curl -H ${MISSING}\n")?
            .hasPrefix("deploy.yml:8:18: error: run: environment variable 'MISSING' is not set") == true)
        let spec = try load(Self.base + "steps:\n  - run: echo $${HOME} ${TOKEN}\n")
        guard case .run(let line) = spec.steps[0].kind else { Issue.record("not a run step"); return }
        #expect(line.value == "echo ${HOME} s3cr3t-value")
        #expect(line.masked == "echo ${HOME} ***")
    }
}
