/// Runs a plan step by step through an executor, journaling as it goes and
/// reporting events. The lock and preflight come before it (see `Deploy` in the CLI);
/// this type only decides what runs next: retries, `continue_on_error`, stop on
/// failure or interrupt, and what to advise when it stopped.
public struct Deployment {
    public var plan: Plan
    public var executor: any Executor
    public var journal: (any JournalSink)?
    public var identity: Identity
    /// How many output lines of each step the journal keeps.
    public var tailLines = 20

    public init(plan: Plan, executor: any Executor, journal: (any JournalSink)?, identity: Identity) {
        self.plan = plan
        self.executor = executor
        self.journal = journal
        self.identity = identity
    }

    /// Runs every step. Throws only when the journal's first line cannot be written (then
    /// nothing ran). A later journal failure stops the deploy before the next step — a deploy
    /// that cannot be recorded cannot be rolled back — and is in the outcome's `journalError`.
    public func run(id: String, events: (DeployEvent) -> Void) throws(Journal.JournalError) -> DeployOutcome {
        let started = WallClock.milliseconds()
        let clock = Clock.now()
        let revisionBefore = revision()
        var entry = JournalEntry(type: .start, id: id, at: started)
        entry.target = plan.target
        entry.app = plan.app
        entry.by = identity
        entry.revisionBefore = revisionBefore
        if let undone = plan.rollsBack {
            entry.kind = "rollback"
            entry.rollsBack = undone
        }
        entry.plan = plan.steps.map {
            .init(step: $0.number, name: $0.name, kind: $0.kind.name, command: plan.masker.mask($0.command.render()))
        }
        try journal?.append(entry, sync: true)
        events(.started(id: id, plan: plan))

        var outcomes: [StepOutcome] = []
        var stopped: DeployOutcome.Result?
        var journalError: Journal.JournalError?
        /// Runs and journals one step (a journal that cannot take its line is kept in `journalError`).
        func perform(_ step: PlannedStep, onFailure: Bool) -> StepOutcome {
            let outcome = runStep(step, events: events)
            var line = JournalEntry(type: .step, id: id, at: WallClock.milliseconds())
            line.step = step.number
            line.name = step.name
            line.kind = step.kind.name
            line.status = outcome.status.rawValue
            line.exitCode = outcome.result?.exitCode
            line.attempts = outcome.attempts
            line.durationMs = outcome.durationMilliseconds
            line.outputTail = outcome.outputTail
            line.revisionBefore = outcome.revisionBefore
            line.revisionAfter = outcome.revisionAfter
            line.migrations = step.kind == .migrate ? outcome.migrations : nil
            if case .rollbackMigrations = step.kind { line.rolledBack = outcome.rolledBack }
            if let failure = outcome.result, !failure.succeeded { line.message = plan.masker.mask(failure.description) }
            if onFailure { line.onFailure = true }
            events(.stepFinished(outcome))
            do throws(Journal.JournalError) { try journal?.append(line, sync: false) } catch { journalError = error }
            return outcome
        }
        for step in plan.steps {
            if stopped != nil {
                outcomes.append(StepOutcome(step: step, status: .notRun))
                continue
            }
            let outcome = perform(step, onFailure: false)
            outcomes.append(outcome)
            switch outcome.status {
            case .interrupted: stopped = .interrupted
            case .failed, .timedOut: stopped = .failed
            case .ok, .ignored, .notRun: break
            }
            if journalError != nil { stopped = stopped ?? .failed }
        }
        // `on_failure:` (Capistrano's deploy:failed): after a failure, once a step had changed something.
        let changed = outcomes.contains { $0.status == .ok || $0.status == .ignored }
        if stopped == .failed, changed, journalError == nil {
            for step in plan.onFailure where journalError == nil {
                outcomes.append(perform(step, onFailure: true))
            }
        }
        var outcome = DeployOutcome(
            id: id, result: stopped ?? .succeeded, steps: outcomes,
            durationMilliseconds: Int((Clock.now() - clock) * 1000),
            revisionBefore: revisionBefore, revisionAfter: revision(),
            migrations: outcomes.flatMap(\.migrations), advice: [])
        outcome.rollsBack = plan.rollsBack
        outcome.journalError = journalError.map { plan.masker.mask($0.description) }
        outcome.rolledBack = outcomes.flatMap(\.rolledBack)
        outcome.advice = Advice(plan: plan, outcome: outcome).lines()
        var finish = JournalEntry(type: .finish, id: id, at: WallClock.milliseconds())
        finish.result = outcome.result.rawValue
        finish.durationMs = outcome.durationMilliseconds
        finish.revisionBefore = outcome.revisionBefore
        finish.revisionAfter = outcome.revisionAfter
        finish.migrations = outcome.migrations
        if plan.rollsBack != nil { finish.rolledBack = outcome.rolledBack }
        finish.message = outcome.failedStep.map { "step \($0.step.number) '\($0.step.name)' \($0.status.rawValue)" }
        if journalError == nil {
            do throws(Journal.JournalError) { try journal?.append(finish, sync: true) } catch {
                outcome.journalError = plan.masker.mask(error.description)
                if outcome.result == .succeeded { outcome.result = .failed }
            }
        }
        events(.finished(outcome))
        return outcome
    }

    private func runStep(_ step: PlannedStep, events: (DeployEvent) -> Void) -> StepOutcome {
        let clock = Clock.now()
        let before = step.kind.movesCode ? revision() : nil
        var migrate = MigrateOutput()
        var tail: [String] = []
        var result = ExecutionResult(.notStarted("not run"))
        var attempts = 0
        while attempts <= step.retries {
            attempts += 1
            events(.stepStarted(step, attempt: attempts))
            result = executor.run(step.command) { raw in
                var line: String? = plan.masker.mask(raw)
                if step.kind.runsSlipway {
                    line = migrate.read(line!)  // slipway's JSON events, as short human lines
                    if let line { events(.migration(step: step.number, text: line, file: migrate.file)) }
                } else {
                    events(.output(step: step.number, line: line!))
                }
                if let line { tail.append(line) }
                if tail.count > tailLines { tail.removeFirst(tail.count - tailLines) }
            }
            if result.succeeded || result.termination == .interrupted { break }
        }
        let status: StepOutcome.Status = switch result.termination {
        case .exited(0): .ok
        case .interrupted: .interrupted
        case _ where step.continueOnError: .ignored
        case .timedOut: .timedOut
        default: .failed
        }
        var outcome = StepOutcome(step: step, status: status, result: result, attempts: attempts,
                                  durationMilliseconds: Int((Clock.now() - clock) * 1000))
        outcome.outputTail = tail
        outcome.migrations = migrate.applied
        outcome.rolledBack = migrate.rolledBack
        if step.kind.movesCode {
            outcome.revisionBefore = before
            outcome.revisionAfter = revision()
        }
        return outcome
    }

    /// The target's `HEAD`, or nil when its path is not a git work tree: asked of the target's
    /// agent when there is one (no command of its own), else run through the executor.
    func revision() -> String? {
        if let agent = journal as? TargetLock, let answer = agent.revision() { return answer }
        return Self.revision(of: plan.path, executor: executor)
    }

    static func revision(of path: String, executor: any Executor) -> String? {
        let (result, lines) = executor.capture(Command(["git", "rev-parse", "--verify", "-q", "HEAD"], workingDirectory: path))
        guard result.succeeded, let line = lines.first, line.count >= 7, line.allSatisfy(\.isHexDigit) else { return nil }
        return line
    }
}
