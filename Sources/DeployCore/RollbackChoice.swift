/// Which deploy `rollback TARGET [--to ID]` undoes, read from the target's journal.
///
/// - Without `--to`: the newest deploy that moved the code or applied migrations and
///   has not been rolled back (a succeeded rollback marks it). A failed or cut-off
///   deploy counts too when it changed something: its pulled code and applied
///   migrations are exactly what a rollback after a failure must undo, and skipping
///   it would leave its migrations under older code. Deploys that changed nothing
///   (a redeploy of the same revision) are passed over; rollbacks are never undone
///   (deploy again instead).
/// - With `--to ID`: that deploy, but only when no later deploy that changed something
///   is still in place: rolling back under it would leave its code or migrations on
///   top of the older state. It says which one to roll back first.
public struct RollbackChoice: Sendable {
    public var deploys: [DeployRecord]

    /// `deploys` oldest first, as `Journal.deploys()` reads them.
    public init(deploys: [DeployRecord]) { self.deploys = deploys }

    public enum ChoiceError: Error, Sendable, Equatable, CustomStringConvertible {
        case nothingToRollBack(target: String)
        case unknownDeploy(String, target: String)
        case isRollback(String, target: String)
        case alreadyRolledBack(String, by: String)
        case laterDeploy(String, later: String, target: String)
        case noRevision(String)

        public var description: String {
            switch self {
            case .nothingToRollBack(let t):
                "nothing to roll back on \(t): no deploy in its journal changed code or migrations without being rolled back (see `slipway history \(t)`)"
            case .unknownDeploy(let id, let t):
                "no deploy '\(id)' in \(t)'s journal (see `slipway history \(t)`)"
            case .isRollback(let id, let t):
                "\(id) is itself a rollback; to undo it, deploy again (`slipway deploy \(t)`)"
            case .alreadyRolledBack(let id, let by):
                "deploy \(id) was already rolled back (by \(by))"
            case .laterDeploy(let id, let later, let t):
                "deploy \(later) came after \(id) and is still in place; roll it back first (`slipway rollback \(t) --to \(later)`), then \(id)"
            case .noRevision(let id):
                "deploy \(id) recorded no revision before it (the target was not a git work tree then), so its code cannot be put back"
            }
        }
    }

    /// Deploy id → the succeeded rollback that undid it.
    public var rolledBack: [String: String] {
        var undone: [String: String] = [:]
        for d in deploys where d.isRollback && d.result == "succeeded" {
            if let id = d.rollsBack { undone[id] = d.id }
        }
        return undone
    }

    /// Deploys (not rollbacks) not rolled back yet, oldest first.
    public var inPlace: [DeployRecord] {
        let undone = rolledBack
        return deploys.filter { !$0.isRollback && undone[$0.id] == nil }
    }

    public func choose(target: String, to id: String?) throws(ChoiceError) -> DeployRecord {
        let chosen: DeployRecord
        if let id {
            guard let index = deploys.firstIndex(where: { $0.id == id }) else { throw .unknownDeploy(id, target: target) }
            let deploy = deploys[index]
            if deploy.isRollback { throw .isRollback(id, target: target) }
            if let by = rolledBack[id] { throw .alreadyRolledBack(id, by: by) }
            let after = Set(deploys[(index + 1)...].map(\.id))
            if let later = inPlace.last(where: { $0.changedSomething && after.contains($0.id) }) {
                throw .laterDeploy(id, later: later.id, target: target)
            }
            chosen = deploy
        } else {
            guard let newest = inPlace.last(where: \.changedSomething) else { throw .nothingToRollBack(target: target) }
            chosen = newest
        }
        // Code that moved from a revision nobody recorded cannot be put back; unmoved code needs nothing.
        if chosen.revisionBefore == nil && chosen.revisionAfter != nil { throw .noRevision(chosen.id) }
        return chosen
    }
}
