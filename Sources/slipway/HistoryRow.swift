import DeployCore

/// One deploy as `history` shows it: a record from one host's journal, with what the
/// journal says about it beyond the record (still running, undone by a later rollback).
struct HistoryRow {
    var place: Place
    var deploy: DeployRecord
    var result: String
    var undoneBy: String?

    /// Every deploy of every host's journal, in journal order (oldest first, host by host).
    static func rows(_ journals: [(Place, AgentReply)]) -> [HistoryRow] {
        var rows: [HistoryRow] = []
        for (place, state) in journals {
            let deploys = Journal.deploys(state.entries ?? [])
            let undone = RollbackChoice(deploys: deploys).rolledBack
            for d in deploys {
                var result = d.result
                if d.finish == nil, state.holder?.deploy == d.id {
                    result = state.stale == true ? "incomplete (died; stale lock)" : "running"
                }
                rows.append(HistoryRow(place: place, deploy: d, result: result, undoneBy: undone[d.id]))
            }
        }
        return rows
    }
}
