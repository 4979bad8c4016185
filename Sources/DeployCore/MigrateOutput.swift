#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the lines of `slipway migrate --json`, run as a step: which
/// migrations it applied (for the journal and rollback) and a short human text
/// per event. A line that is not one of its events is passed on as it is.
struct MigrateOutput {
    private(set) var applied: [String] = []
    /// From `slipway rollback --json`.
    private(set) var rolledBack: [String] = []
    private(set) var skipped = 0
    /// The migration file the last event read named, if any.
    private(set) var file: String?

    private struct Event: Decodable {
        var event: String
        var file: String?
        var statements: Int?
        var duration_ms: Int?
        var message: String?
        var path: String?
        var applied: Int?
        var skipped: Int?
        var pending: Int?
        var ok: Bool?
        var line: Int?
        var sql: String?
        var hint: String?
        var database: String?
        var source: String?
        var steps: [String]?
        var table: String?
        var rolled_back: Int?
        var dry_run: Bool?
        var migrations: [String]?
        var databases: Int?
        var failed: Int?
    }

    /// The human text for `line`, nil for events not worth a line (a SKIP per applied file).
    mutating func read(_ line: String) -> String? {
        file = nil
        guard line.hasPrefix("{"), let e = try? JSONDecoder().decode(Event.self, from: Data(line.utf8)) else { return line }
        // `migrate` over many databases tags each event with its database (not its start).
        guard let database = e.database, e.event != "start" else { return text(e, line) }
        return text(e, line).map { "\(database): \($0)" }
    }

    private mutating func text(_ e: Event, _ line: String) -> String? {
        self.file = e.file
        let file = e.file ?? ""
        switch e.event {
        case "start": return "database \(e.database ?? "?")"
        case "skip":
            skipped += 1
            return nil
        case "applying", "progress", "plan": return nil
        case "applied":
            if !applied.contains(file) { applied.append(file) }  // once, however many databases took it
            let n = e.statements ?? 0
            return "APPLY   \(file) (\(n) statement\(n == 1 ? "" : "s"), \(e.duration_ms ?? 0) ms)"
        case "backup": return "BACKUP  \(e.path ?? "")"
        case "pruned": return "PRUNE   rollback data of \(e.migrations?.count ?? 0) older migrations"
        case "schema": return "SCHEMA  \(e.path ?? "")"
        case "tolerated", "warning": return "WARN    \(file.isEmpty ? "" : file + ": ")\(e.message ?? "")"
        case "modified": return "MODIFIED \(file) (changed after it was applied; not re-run)"
        case "missing": return "MISSING \(file) (recorded, but the file is gone)"
        case "failed":
            var text = "FAILED  " + (e.file.map { "\($0)\(e.line.map { ":\($0)" } ?? ""): " } ?? "") + (e.message ?? "")
            if let sql = e.sql { text += "\n        statement: \(sql)" }
            if let hint = e.hint { text += "\n        hint: \(hint)" }
            return text
        case "rolled_back":
            rolledBack.append(file)
            return "ROLLBACK \(file) (\(e.duration_ms ?? 0) ms)"
        case "data_loss": return "DATA LOSS \(file): \(e.table.map { $0 + ": " } ?? "")\(e.message ?? "")"
        case "summary" where e.rolled_back != nil:
            return "\(e.rolled_back!) rolled back"
        case "summary" where e.databases != nil:
            return "\(e.applied ?? 0) applied across \(e.databases!) databases" + ((e.failed ?? 0) > 0 ? ", \(e.failed!) failed" : "")
        case "summary":
            return "\(e.applied ?? 0) applied, \(e.skipped ?? 0) skipped" + ((e.pending ?? 0) > 0 ? ", \(e.pending!) pending" : "")
        default: return line
        }
    }
}
