import ArgumentParser
import DeployCore

#if canImport(Glibc)
import Glibc
#endif

struct Deploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run deploy.yml's pipeline on TARGET: preflight, lock, steps, journal.")

    @Argument(help: "The target in deploy.yml, e.g. local.")
    var target: String

    @OptionGroup var options: DeployOptions

    @Flag(name: .customLong("dry-run"), help: "Print the plan; run nothing, create nothing.")
    var dryRun = false

    func run() throws {
        let run = try TargetSession(target: target, options: options)
        if dryRun {
            run.render.plan(run.plan, hosts: run.places)
            return
        }
        try run.each { host in host.deploy.run(plan: run.plan, events: host.events) }
    }
}

/// The flags every command that runs on a target takes.
struct DeployOptions: ParsableArguments {
    @Option(help: "The deploy spec. Default: ./deploy.yml.")
    var config: String = "deploy.yml"

    @Flag(help: "Print one JSON object per event.")
    var json = false

    @Flag(name: .customLong("force-unlock"), help: "Remove a stale lock left by a deploy that died. A live deploy's lock is never removed.")
    var forceUnlock = false
}

struct DeployFailure: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}
