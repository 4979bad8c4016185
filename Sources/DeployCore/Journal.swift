#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The deploy journal of one target: JSON lines appended to
/// `<path>/.slipway/journal.jsonl`, one `write` per line (O_APPEND), so lines
/// of a deploy killed half-way are whole. The start and finish lines are
/// flushed to disk; step lines survive the process dying, like any write.
public struct Journal: Sendable {
    public let path: String

    public init(folder: String) { path = folder + "/journal.jsonl" }

    public struct JournalError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write the deploy journal \(path): \(reason)" }
    }

    public func append(_ entry: JournalEntry, sync: Bool = false) throws(JournalError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(entry) else { throw JournalError(path: path, reason: "cannot encode the entry") }
        data.append(UInt8(ascii: "\n"))
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else { throw JournalError(path: path, reason: String(cString: strerror(errno))) }
        if sync { fdatasync(fd) }
    }

    /// Every line of the journal, oldest first. Lines that do not parse (a torn
    /// last line after a power cut) are skipped.
    public func entries() -> [JournalEntry] {
        guard let bytes = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        return bytes.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(JournalEntry.self, from: Data($0)) }
    }

    /// Every deploy in the journal, oldest first.
    public func deploys() -> [DeployRecord] { Self.deploys(entries()) }

    /// Journal lines (read here or on a host) grouped by deploy, oldest first.
    public static func deploys(_ entries: [JournalEntry]) -> [DeployRecord] {
        var records: [DeployRecord] = []
        var index: [String: Int] = [:]
        for entry in entries {
            switch entry.type {
            case .start:
                index[entry.id] = records.count
                records.append(DeployRecord(start: entry))
            case .step:
                if let i = index[entry.id] { records[i].steps.append(entry) }
            case .finish:
                if let i = index[entry.id] { records[i].finish = entry }
            }
        }
        return records
    }
}

/// One deploy as read back from the journal.
public struct DeployRecord: Sendable, Equatable {
    public var start: JournalEntry
    public var steps: [JournalEntry] = []
    public var finish: JournalEntry?

    public init(start: JournalEntry) { self.start = start }

    public var id: String { start.id }

    /// `succeeded`, `failed`, `interrupted`, or `incomplete` (no finish line: killed, or still running).
    public var result: String { finish?.result ?? "incomplete" }

    public var revisionBefore: String? { finish?.revisionBefore ?? start.revisionBefore }
    public var revisionAfter: String? { finish?.revisionAfter ?? steps.last { $0.revisionAfter != nil }?.revisionAfter }

    /// Migrations the deploy applied, in order (from its finish line, else its steps).
    public var migrations: [String] { finish?.migrations ?? steps.flatMap { $0.migrations ?? [] } }

    /// A `rollback TARGET` run, journaled like a deploy.
    public var isRollback: Bool { start.kind == "rollback" }

    /// For a rollback: the deploy it undid.
    public var rollsBack: String? { start.rollsBack }

    /// For a rollback: the migrations it rolled back, in the order they were undone.
    public var rolledBack: [String] { finish?.rolledBack ?? steps.flatMap { $0.rolledBack ?? [] } }

    /// It moved the code or changed the database: there is something to roll back.
    public var changedSomething: Bool {
        !migrations.isEmpty || (revisionAfter != nil && revisionAfter != revisionBefore)
    }

    public var durationMs: Int? {
        finish?.durationMs ?? steps.last.map { Int($0.at - start.at) }
    }
}
