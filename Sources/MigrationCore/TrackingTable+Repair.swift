#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteKit

/// One accepted change of a tracking row's checksum, appended to the row's
/// `repairs` column (a JSON array) so the row itself says who accepted what, and when.
public struct ChecksumRepair: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        /// A checksum recorded for a row that had none (adopted), or a file marked applied.
        case baseline
        /// An intended edit of an applied file accepted.
        case repair
    }

    public var action: Action
    /// Unix seconds, as `applied_at`.
    public var at: Int64
    public var by: String
    public var from: String?
    public var to: String
    /// The file's down section, changed by the edit, replaced the one recorded when the
    /// migration was applied: rollback runs the new one (none: the reverse slipway recorded).
    public var downSection: Bool?
}

/// What `baseline` did.
public struct BaselineResult: Sendable, Equatable {
    /// Adopted rows that now carry their file's checksum.
    public var checksummed: [String] = []
    /// Pending files (up to `--to`) recorded as applied without running.
    public var marked: [String] = []
}

extension TrackingTable {
    /// Flyway's baseline: records checksums for the rows another tool wrote (the
    /// sql.js runner left none, so edits to those files went unnoticed), and with
    /// `upTo` marks the pending files up to it as applied without running them, for
    /// a database whose schema was made by hand.
    public func baseline(
        files: [MigrationFile], upTo: String?, by user: String, at now: Int64, opener: DatabaseOpener
    ) throws(MigrationError) -> BaselineResult {
        let stop = try upTo.map { name throws(MigrationError) in try MigrationLookup(files: files).find(name) }
        return try write(opener, "recording a baseline") { db in
            let inventory = Inventory(files: files, rows: try rows(on: db))
            var result = BaselineResult()
            for entry in inventory.entries {
                guard let file = entry.file else { continue }
                switch entry.state {
                case .adopted:
                    try update(file.filename, checksum: file.checksum,
                               repair: .init(action: .baseline, at: now, by: user, from: nil, to: file.checksum), on: db)
                    result.checksummed.append(file.filename)
                case .pending:
                    guard let stop, !stop.filename.utf8.lexicographicallyPrecedes(file.filename.utf8) else { continue }
                    try record(AppliedMigration(filename: file.filename, appliedAt: now, checksum: file.checksum), on: db)
                    try update(file.filename, checksum: file.checksum,
                               repair: .init(action: .baseline, at: now, by: user, from: nil, to: file.checksum), on: db)
                    result.marked.append(file.filename)
                case .applied, .modified, .missing:
                    continue
                }
            }
            return result
        }
    }

    /// Flyway's repair for one file: accepts an intended edit of an applied migration
    /// by recording the file's checksum now, journaled in the row. Returns nil when the
    /// file already matches (nothing to repair).
    public func repair(
        _ name: String, files: [MigrationFile], by user: String, at now: Int64, opener: DatabaseOpener
    ) throws(MigrationError) -> ChecksumRepair? {
        let file = try MigrationLookup(files: files).find(name)
        return try write(opener, "repairing \(file.filename)") { db in
            guard let row = try rows(on: db).first(where: { $0.filename == file.filename }) else {
                throw MigrationError.unknownMigration(name, detail: "\(file.filename) is not applied yet: nothing to repair (migrate runs it as it is)")
            }
            if row.checksum == file.checksum { return nil }
            var repair = ChecksumRepair(action: row.checksum == nil ? .baseline : .repair, at: now, by: user, from: row.checksum, to: file.checksum)
            if try RollbackStore(db: db, table: self).replaceDown(of: file.filename, with: try file.parse().down, encoder: RollbackStore.encoder()) {
                repair.downSection = true
            }
            try update(file.filename, checksum: file.checksum, repair: repair, on: db)
            return repair
        }
    }

    /// The journal of one row's checksum changes, oldest first.
    public func repairs(of filename: String, on db: Connection) throws -> [ChecksumRepair] {
        guard try columns(on: db)?.contains("repairs") == true,
              let text = try db.query("SELECT repairs FROM \(quoted) WHERE filename = ?", [.text(filename)]).first?[0].string
        else { return [] }
        return try JSONDecoder().decode([ChecksumRepair].self, from: Data(text.utf8))
    }

    private func update(_ filename: String, checksum: String, repair: ChecksumRepair, on db: Connection) throws {
        var journal = try repairs(of: filename, on: db)
        journal.append(repair)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(journal), as: UTF8.self)
        try db.query("UPDATE \(quoted) SET checksum = ?, repairs = ? WHERE filename = ?", [.text(checksum), .text(text), .text(filename)])
    }

    /// Runs `body` in one write transaction on an existing database, with the table
    /// created or upgraded first: either every row changes or none does.
    private func write<T>(_ opener: DatabaseOpener, _ doing: String, _ body: (Connection) throws -> T) throws(MigrationError) -> T {
        guard try opener.openForReading() != nil else {
            throw .invalidDatabase(path: opener.path, reason: "it does not exist (check --db or database.path)")
        }
        let db = try opener.openForWriting()
        do {
            return try db.transaction(.immediate) {
                if try needsPreparation(on: db) { try prepare(on: db) }
                return try body(db)
            }
        } catch {
            if let error = error as? MigrationError { throw error }
            throw opener.classify(error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)"), while: doing)
        }
    }
}
