#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteKit

/// Where pre-migration backups go and how many are kept.
public struct BackupPolicy: Sendable, Equatable {
    /// Newest backups kept; older ones are deleted after a new one is written.
    public var keep: Int
    /// Defaults to `.slipway/backups` beside the database.
    public var directory: String?

    public init(keep: Int = 5, directory: String? = nil) {
        self.keep = max(keep, 1)
        self.directory = directory
    }

    /// Writes a consistent copy of `db` (SQLite's backup API) and prunes old ones.
    /// The copy is written under a temporary name and renamed, so a backup file
    /// that exists is always whole. `filename`: the migration it is taken before (in its
    /// name); nil for the deploy pipeline's `backup` step.
    public func write(_ db: Connection, databasePath: String, before filename: String?) throws(MigrationError) -> String {
        let parent = FileSystem.parent(of: databasePath)
        let folder = directory ?? (parent == "." ? ".slipway/backups" : FileSystem.join(parent, ".slipway/backups"))
        try FileSystem.makeDirectories(folder)
        let base = FileSystem.basename(databasePath)
        let stem = filename.map { FileSystem.basename($0).split(separator: ".").first.map(String.init) ?? "migration" }
        let name = "\(base).\(Self.timestamp())" + (stem.map { ".before-\($0)" } ?? "") + ".bak"
        let path = FileSystem.join(folder, name)
        let temporary = path + ".partial"
        do {
            try db.backup(to: temporary)
        } catch {
            FileSystem.remove(temporary)
            throw .sqlite(error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)"), while: "writing the backup \(temporary)")
        }
        try FileSystem.rename(temporary, path)
        try prune(folder, prefix: base + ".")
        return path
    }

    private func prune(_ folder: String, prefix: String) throws(MigrationError) {
        let backups = try FileSystem.list(folder).filter { $0.hasPrefix(prefix) && $0.hasSuffix(".bak") }.sorted()
        for old in backups.dropLast(keep) { FileSystem.remove(FileSystem.join(folder, old)) }
    }

    /// UTC `YYYYMMDDTHHMMSSZ`: sorts by time as text.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z"
    }
}
