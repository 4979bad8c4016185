import ArgumentParser
import DeployCore
import Synchronization

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show TARGET's deploy journal, read from each of its hosts: id, when, who, revision, migrations, result, duration.")

    @Argument(help: "The target in deploy.yml.")
    var target: String

    @OptionGroup var options: DeployOptions

    func run() throws {
        let session = try TargetSession(target: target, options: options)
        let states = Mutex([Int: AgentReply]())
        let places = session.places
        var failure: Error?
        do {
            try session.each(summary: false, quiet: true) { host in
                switch TargetState.read(plan: session.plan, executor: host.executor) {
                case .failure(let refusal): return .refused(refusal.message)
                case .success(let state):
                    let index = places.firstIndex(of: host.place)!
                    states.withLock { $0[index] = state }
                    return .planned
                }
            }
        } catch {
            failure = error  // what could be read is still shown
        }
        let read = states.withLock { $0 }
        let journals = places.indices.compactMap { i in read[i].map { (places[i], $0) } }
        session.render.history(journals, target: target, showHosts: places != [.local])
        if let failure { throw failure }
    }
}
