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

@Suite("on_failure: steps after a failed deploy")
struct OnFailureTests {
    func plan(_ steps: String) throws -> Plan {
        let spec = try SpecLoader().load(
            text: "targets:\n  local:\n    path: /srv/app\nsteps:\n" + steps + "on_failure:\n  - pm2: start app\n  - run: notify failed\n",
            file: "deploy.yml")
        return try Planner(spec: spec, slipway: "/usr/bin/slipway").plan(target: "local")
    }

    func deploy(_ plan: Plan, failing: String, journal: Journal? = nil) throws -> (DeployOutcome, RecordingExecutor) {
        let executor = RecordingExecutor { c in (ExecutionResult(c.arguments.last == failing ? .exited(1) : .exited(0)), []) }
        let outcome = try Deployment(plan: plan, executor: executor, journal: journal,
                                     identity: Identity(user: "u", host: "h", pid: 1, command: "slipway deploy local"))
            .run(id: "d1") { _ in }
        return (outcome, executor)
    }

    @Test("a step that fails after the app was stopped runs on_failure's steps, numbered after the pipeline, journaled as such")
    func runs() throws {
        let folder = TempFolder()
        let p = try plan("  - pm2: stop app\n  - run: build\n  - pm2: start app\n")
        #expect(p.onFailure.map(\.number) == [4, 5])
        #expect(p.onFailure.map(\.name) == ["on_failure: pm2 start app", "on_failure: notify failed"])
        let journal = Journal(folder: folder.path)
        let (outcome, executor) = try deploy(p, failing: "build", journal: journal)
        #expect(outcome.result == .failed)
        #expect(outcome.failedStep?.step.number == 2)
        #expect(outcome.steps.map(\.status) == [.ok, .failed, .notRun, .ok, .ok])
        #expect(executor.commands.filter { $0.arguments.first != "git" }.map { $0.arguments.suffix(2).joined(separator: " ") }.suffix(2) == ["start app", "-c notify failed"])
        let lines = journal.entries().filter { $0.type == .step }
        #expect(lines.map { $0.onFailure ?? false } == [false, false, true, true])
        #expect(outcome.advice.contains("on_failure ran: pm2 start app (ok), notify failed (ok)."))
        #expect(!outcome.advice.contains { $0.hasPrefix("The app is STOPPED") }, "on_failure started it again")
    }

    @Test("nothing changed (the first step failed), or the deploy succeeded: on_failure does not run")
    func doesNotRun() throws {
        let p = try plan("  - pm2: stop app\n  - run: build\n")
        let (first, executor) = try deploy(p, failing: "app")  // `pm2 stop app` fails
        #expect(first.steps.count == 2 && !executor.commands.contains { $0.arguments.last == "notify failed" })
        let (fine, quiet) = try deploy(p, failing: "nothing fails")
        #expect(fine.result == .succeeded && !quiet.commands.contains { $0.arguments.last == "notify failed" })
    }

    @Test("on_failure is checked like steps: a mistake in it is a spec error at its line")
    func specError() {
        #expect {
            try SpecLoader().load(text: "targets:\n  local:\n    path: .\nsteps:\n  - run: x\non_failure:\n  - pm3: start app\n", file: "deploy.yml")
        } throws: { error in
            (error as? SpecError)?.line == 7
        }
    }
}
