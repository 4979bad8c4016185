import ArgumentParser
import DeployCore
import Synchronization

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show TARGET's deploy journal, read from each of its hosts: id (its UTC start), who, revision, result, time, migrations.",
        discussion: "With an ID: that deploy in full (every migration and step).")

    @Argument(help: "The target in deploy.yml.", completion: .targets)
    var target: String

    @Argument(help: "A deploy id from the table (or rollback's): show that deploy in full.")
    var id: String?

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
        let rows = HistoryRow.rows(places.indices.compactMap { i in read[i].map { (places[i], $0) } })
        let showHosts = places != [.local]
        if let id {
            let matching = rows.filter { $0.deploy.id == id }
            if matching.isEmpty && failure == nil {
                session.reporter.report(DeployFailure("no deploy \(id) in the journal of \(target); `slipway history \(target)` lists them"))
                throw Exit.invalidInput
            }
            session.render.deployDetail(matching, showHosts: showHosts)
        } else {
            session.render.history(rows, target: target, showHosts: showHosts)
        }
        if let failure { throw failure }
    }
}
