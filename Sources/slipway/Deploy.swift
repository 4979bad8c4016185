import ArgumentParser
import DeployCore

#if canImport(Glibc)
import Glibc
#endif

struct Deploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Run deploy.yml's pipeline on TARGET: preflight, lock, steps, journal.")

    @Argument(help: "The target in deploy.yml, e.g. local.", completion: .targets)
    var target: String

    @OptionGroup var options: DeployOptions

    @Flag(name: .customLong("dry-run"), help: "Print the plan; run nothing, create nothing.")
    var dryRun = false

    @Flag(name: .customLong("allow-modified"),
          help: "Migrate although applied migration files changed since they ran (migrate --allow-modified).")
    var allowModified = false

    func run() throws {
        let run = try TargetSession(target: target, options: options, allowModified: allowModified)
        if dryRun {
            run.render.plan(run.plan, hosts: run.places)
            return
        }
        if let staging = run.target.rehearseOn {
            // The staging gate: the whole pipeline on staging first; production only if all of it passed there.
            run.render.note("rehearse_on: deploying to \(staging) first; \(target) only if every step passes there")
            do {
                try TargetSession(target: staging, options: options, allowModified: allowModified).each(installFirst: false) { host in
                    host.deploy.run(plan: host.plan, events: host.events)
                }
            } catch {
                run.reporter.report(DeployFailure("the rehearsal on \(staging) failed: \(target) was not touched"))
                throw Exit.failure
            }
            run.render.note("rehearsal on \(staging) passed; deploying to \(target)")
        }
        try run.each(installFirst: false) { host in host.deploy.run(plan: run.plan, events: host.events) }
    }
}

/// The flags every command that runs on a target takes.
struct DeployOptions: ParsableArguments {
    @Option(help: "The deploy spec. Default: the nearest deploy.yml in this folder or above.")
    var config: String?

    @Flag(help: "Print one JSON object per event.")
    var json = false

    @Flag(name: .customLong("force-unlock"), help: "Remove a stale lock left by a deploy that died. A live deploy's lock is never removed.")
    var forceUnlock = false

    @Flag(name: .customLong("accept-new-host-key"), help: "Trust a host seen for the first time (its key is appended to known_hosts). A changed key is never accepted.")
    var acceptNewHostKey = false
}

struct DeployFailure: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}
