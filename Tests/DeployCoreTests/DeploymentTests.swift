import Foundation
import Testing
@testable import DeployCore

@Suite("Deployment: stop on failure, continue_on_error, retries, journal")
struct DeploymentTests {
    func plan(_ steps: String, path: String) throws -> Plan {
        let spec = try SpecLoader(environment: ["SECRET": "hunter22"]).load(
            text: "database:\n  path: app.db\ntargets:\n  local:\n    path: \(path)\nsteps:\n" + steps, file: "deploy.yml")
        return try Planner(spec: spec, slipway: "/usr/bin/slipway").plan(target: "local")
    }

    func deploy(_ plan: Plan, _ executor: any Executor, journal: Journal? = nil) throws -> (DeployOutcome, [DeployEvent]) {
        var events: [DeployEvent] = []
        let outcome = try Deployment(plan: plan, executor: executor, journal: journal,
                                     identity: Identity(user: "u", host: "h", pid: 1, command: "slipway deploy local"))
            .run(id: "d1") { events.append($0) }
        return (outcome, events)
    }

    @Test("a failing step stops the pipeline; the summary says the app is stopped and how to start it")
    func failingStep() throws {
        let dir = TempFolder()
        let p = try plan("  - pm2: stop app\n  - run: exit 7\n  - pm2: start app\n", path: dir.path)
        let executor = RecordingExecutor { c in
            (ExecutionResult(c.arguments.last == "exit 7" ? .exited(7) : .exited(0)), [])
        }
        let (outcome, _) = try deploy(p, executor)
        #expect(outcome.result == .failed)
        #expect(outcome.steps.map(\.status) == [.ok, .failed, .notRun])
        #expect(!executor.commands.contains { $0.arguments == ["pm2", "start", "app"] })
        #expect(outcome.advice.first == "The app is STOPPED: step 1 'pm2 stop app' stopped it and nothing started it again.")
        #expect(outcome.advice.contains { $0.contains("'pm2' 'start' 'app'") })
    }

    @Test("continue_on_error lets the pipeline go on; retries run a failing step again")
    func continueAndRetry() throws {
        let dir = TempFolder()
        let p = try plan("""
              - run: flaky
                retries: 2
              - run: broken
                continue_on_error: true
              - run: fine
            """ + "\n", path: dir.path)
        let attempts = Mutex(0)
        let executor = RecordingExecutor { c in
            switch c.arguments.last {
            case "flaky":
                let n = attempts.withLock { $0 += 1; return $0 }
                return (ExecutionResult(n < 3 ? .exited(1) : .exited(0)), ["try \(n)"])
            case "broken": return (ExecutionResult(.exited(2)), [])
            default: return (ExecutionResult(.exited(0)), [])
            }
        }
        let (outcome, _) = try deploy(p, executor)
        #expect(outcome.result == .succeeded)
        #expect(outcome.steps.map(\.status) == [.ok, .ignored, .ok])
        #expect(outcome.steps[0].attempts == 3)
        #expect(outcome.steps[0].outputTail == ["try 1", "try 2", "try 3"])
    }

    @Test("the journal gets start, each step, finish; secrets masked; migrations from migrate's JSON")
    func journal() throws {
        let dir = TempFolder()
        let p = try plan("  - run: echo ${SECRET}\n  - migrate\n", path: dir.path)
        let executor = RecordingExecutor { c in
            if c.arguments.contains("migrate") {
                return (ExecutionResult(.exited(0)), [#"{"event":"skip","file":"001_a.sql","reason":"already applied"}"#,
                                                      #"{"event":"applied","file":"002_b.sql","statements":1,"duration_ms":3}"#])
            }
            return (ExecutionResult(.exited(0)), ["the secret is hunter22"])
        }
        let journal = Journal(folder: dir.path)
        let (outcome, _) = try deploy(p, executor, journal: journal)
        #expect(outcome.migrations == ["002_b.sql"])
        let records = journal.deploys()
        #expect(records.count == 1)
        #expect(records[0].result == "succeeded")
        #expect(records[0].migrations == ["002_b.sql"])
        #expect(records[0].steps.map(\.status) == ["ok", "ok"])
        let text = dir.read("journal.jsonl")
        #expect(!text.contains("hunter22"))
        #expect(text.contains("the secret is ***"))
        #expect(records[0].start.plan?.first?.command == "'/bin/sh' '-c' 'echo ***'")
    }
}

import Synchronization
