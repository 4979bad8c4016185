import ArgumentParser
import DeployCore
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What `deploy`, `rollback TARGET` and `history` share: deploy.yml read, the target
/// planned, its hosts, who runs it and the run's id; then `each` runs a piece of work
/// on every host (`Fleet`: in parallel, a failure stops new hosts), with Ctrl-C,
/// SIGTERM and SIGHUP stopping the running steps, and maps the results to an exit
/// status. The work itself is DeployCore's (`HostDeploy`); this only wires and renders.
struct TargetSession: Sendable {
    private(set) var spec: DeploySpec
    let target: Target
    let planner: Planner
    let plan: Plan
    let places: [Place]
    let options: DeployOptions
    let reporter: Reporter
    let render: DeployRenderer
    let identity: Identity
    let id: String
    /// For a remote target: the binary its hosts run (uploaded when missing).
    let remoteSlipway: RemoteSlipway?

    /// `allowModified`: `deploy --allow-modified`, for this run's migrate step and preflight.
    init(target name: String, options: DeployOptions, allowModified: Bool = false) throws {
        reporter = Reporter(json: options.json)
        render = DeployRenderer(reporter: reporter)
        self.options = options
        do { spec = try loadSpec(options.config) } catch { throw reporter.fail(.spec(error)) }
        spec.database.allowModified = allowModified
        guard let target = spec.target(named: name) else {
            reporter.report(Planner.PlanError.unknownTarget(name, known: spec.targets.map(\.name)))
            throw Exit.invalidInput
        }
        self.target = target
        if target.isLocal {
            remoteSlipway = nil
        } else {
            guard let binary = RemoteSlipway.of(binary: currentExecutable()) else {
                reporter.report(DeployFailure("cannot read slipway's own binary (\(currentExecutable())) to run it on the hosts"))
                throw Exit.failure
            }
            remoteSlipway = binary
        }
        planner = Planner(spec: spec, slipway: remoteSlipway?.word ?? .text(currentExecutable()))
        do { plan = try planner.plan(target: name) } catch {
            reporter.report(error)
            throw Exit.invalidInput
        }
        places = Place.of(target)
        identity = Identity.current(command: plan.masker.mask((["slipway"] + CommandLine.arguments.dropFirst()).joined(separator: " ")))
        id = WallClock.deployID(WallClock.milliseconds())
    }

    /// One host's executor and the things its work needs.
    struct Host {
        let place: Place
        let executor: any Executor
        let deploy: HostDeploy
        let plan: Plan
        let events: (DeployEvent) -> Void
        /// Renders something other than an event, between other hosts' lines.
        let show: ((DeployRenderer) -> Void) -> Void
    }

    /// Runs `work` on every host (`TargetRun`) and throws the exit status: 1 when any host
    /// failed or was refused, 130 when interrupted.
    /// `summary`: end with the fleet's host × step table. `quiet`: leave out checks that passed (history).
    /// `installFirst`: make sure of slipway on each host before `work` (a deploy, whose agent
    /// start says whether it is there, does not need to).
    func each(summary: Bool = true, quiet: Bool = false, installFirst: Bool = true,
              _ work: @escaping @Sendable (Host) -> HostDeploy.Result) throws {
        let run = TargetRun(
            places: places, parallel: target.parallel ?? spec.parallel ?? places.count,
            opener: HostOpener(target: target, specFolder: spec.folder, acceptNewHostKey: options.acceptNewHostKey,
                               remoteSlipway: remoteSlipway),
            identity: identity, id: id, forceUnlock: options.forceUnlock, database: spec.database, installFirst: installFirst)
        let signals = SignalTrap([SIGINT, SIGTERM, SIGHUP]) { run.cancel() }
        defer { signals.restore() }
        // One lock for printing and for each host's silence, which a timer reads.
        let printing = Mutex([String: StillRunning]())
        let many = places != [.local]
        let (reporter, plan) = (reporter, plan)
        let renderers = Dictionary(uniqueKeysWithValues: places.map { ($0.description, DeployRenderer(reporter: reporter, host: many ? $0.description : nil)) })
        // On a terminal, a step silent for 10 s says it is still running; never in --json or a log file.
        let ticker = reporter.json || !reporter.out.isTTY ? nil : DispatchSource.makeTimerSource(queue: .global())
        ticker?.setEventHandler {
            printing.withLock { silence in
                for host in silence.keys {
                    if let note = silence[host]?.note(at: .now) { renderers[host]?.say("    " + reporter.out.paint(note, .dim)) }
                }
            }
        }
        ticker?.schedule(deadline: .now() + 1, repeating: 1)
        ticker?.resume()
        defer { ticker?.cancel() }
        let results = run.run(events: { place in
            let mine = renderers[place.description]!
            return { event in
                if quiet, case .preflight(_, true, _) = event { return }
                printing.withLock { silence in
                    silence[place.description, default: StillRunning()].saw(event, at: .now)
                    mine.render(event)
                }
            }
        }, work: { host in
            let mine = renderers[host.place.description]!
            let show: ((DeployRenderer) -> Void) -> Void = { body in printing.withLock { _ in body(mine) } }
            return work(Host(place: host.place, executor: host.executor, deploy: host.deploy, plan: plan,
                             events: host.events, show: show))
        })
        // Why a host was refused: said once at the end, unless the fleet's table says it.
        for (place, result) in zip(places, results) {
            if case .refused(let why)? = result, !many || !summary || places.count == 1 {
                reporter.report(DeployFailure(many && places.count > 1 ? "\(place): \(why)" : why))
            }
        }
        if places.count > 1 && summary { render.fleet(places: places, plan: plan, results: results) }
        var interrupted = false, failed = false
        for result in results {
            switch result {
            case .ran(let outcome)?:
                if outcome.result == .interrupted { interrupted = true } else if outcome.result == .failed { failed = true }
            case .refused?: failed = true
            case .planned?, nil: break
            }
        }
        if interrupted { throw ExitCode(130) }
        if failed { throw Exit.failure }
    }
}
