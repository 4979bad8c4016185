#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of `--json` output. Fields that do not apply are left out.
struct JSONEvent: Encodable {
    var event: String
    var file: String?
    var state: String?
    var reason: String?
    var database: String?
    var path: String?
    var files: Int?
    var statements: Int?
    var statement: Int?
    var line: Int?
    var column: Int?
    /// "down" when `file`'s `line` is in its down section.
    var section: String?
    var transaction: Bool?
    var message: String?
    var sql: String?
    var hint: String?
    var severity: String?
    /// A lint finding's rule, e.g. `drop-column`.
    var code: String?
    var checksum: String?
    var recorded: String?
    /// RFC 3339 UTC, like every time in `--json`; `appliedAtUnix` is the tracking table's own value.
    var appliedAt: String?
    var appliedAtUnix: Int64?
    var durationMs: Int?
    var durationUs: Int?
    var elapsedMs: Int?
    var applied: Int?
    var skipped: Int?
    var tolerated: Int?
    var pending: Int?
    var modified: Int?
    var missing: Int?
    var adopted: Int?
    var errors: Int?
    var warnings: Int?
    var dryRun: Bool?
    var ok: Bool?
    var migrations: [String]?
    var steps: [String]?
    var table: String?
    var source: String?
    var reversible: String?
    var rolledBack: Int?
    var findings: Int?
    var bytes: Int64?
    var keep: Int?
    var pruned: Int?
    var rollbackBytes: Int64?
    var rollbackMigrations: Int?
    /// `migrate` over many databases: how many, and how many of them failed.
    var databases: Int?
    var failed: Int?
    var result: String?

    init(_ event: String) { self.event = event }

    enum CodingKeys: String, CodingKey {
        case event, file, state, reason, database, path, files, statements, statement, line, column, section
        case transaction, message, sql, hint, severity, code, checksum, recorded
        case appliedAt = "applied_at", appliedAtUnix = "applied_at_unix", durationMs = "duration_ms", durationUs = "duration_us", elapsedMs = "elapsed_ms"
        case applied, skipped, tolerated, pending, modified, missing, adopted, errors, warnings
        case dryRun = "dry_run", ok, migrations, steps, table, source, reversible
        case rolledBack = "rolled_back", findings, bytes, keep, pruned
        case rollbackBytes = "rollback_bytes", rollbackMigrations = "rollback_migrations", databases, failed, result
    }

    /// The event as one line of JSON.
    var rendered: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]  // the same bytes on every run
        let data = (try? encoder.encode(self)) ?? Data("{\"event\":\"error\"}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
