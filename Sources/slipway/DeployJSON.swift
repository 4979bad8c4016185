#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of `deploy --json` / `history --json`. Fields that do not apply are left out.
struct DeployJSON: Encodable {
    var event: String
    var id: String?
    var target: String?
    var check: String?
    var step: Int?
    var steps: Int?
    var name: String?
    var kind: String?
    var command: String?
    var attempt: Int?
    var line: String?
    var status: String?
    var result: String?
    var exitCode: Int32?
    var durationMs: Int?
    var timeout: Double?
    var retries: Int?
    var continueOnError: Bool?
    var migrations: [String]?
    var revisionBefore: String?
    var revisionAfter: String?
    var user: String?
    var host: String?
    var startedAt: String?
    var message: String?
    var advice: [String]?
    var ok: Bool?
    var kind_: String?
    var rollsBack: String?
    var rolledBack: [String]?
    var rolledBackBy: String?
    var file: String?
    var source: String?
    var reverse: [String]?
    var table: String?
    /// In a fleet: the host an event is from, and the hosts a plan runs on.
    var server: String?
    var hosts: [String]?
    var state: String?

    init(_ event: String) { self.event = event }

    enum CodingKeys: String, CodingKey {
        case event, id, target, check, step, steps, name, kind, command, attempt, line, status, result
        case exitCode = "exit_code", durationMs = "duration_ms", timeout, retries, continueOnError = "continue_on_error"
        case migrations, revisionBefore = "revision_before", revisionAfter = "revision_after"
        case user, host, startedAt = "started_at", message, advice, ok
        case kind_ = "type", rollsBack = "rolls_back", rolledBack = "rolled_back", rolledBackBy = "rolled_back_by"
        case file, source, reverse, table, server, hosts, state
    }

    var rendered: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data("{\"event\":\"error\"}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension Reporter {
    func emit(_ event: DeployJSON) { say(event.rendered) }
}
