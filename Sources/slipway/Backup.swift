import ArgumentParser
import MigrationCore
import SQLiteKit

#if canImport(Glibc)
import Glibc
#endif

/// `slipway backup`: the deploy pipeline's `backup` step, run on the target.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database (SQLite backup API) to .slipway/backups beside it.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many backups to keep (default 5, or database.keep_backups).")
    var keep: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        let path = settings.database!
        let folder = (path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : ".") + "/.slipway/backups"
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let target = folder + "/\(base).\(WallStamp.now()).bak"
        do {
            guard let db = try settings.opener()!.openForReading() else {
                reporter.say("no database at \(path) yet: nothing to back up")
                return
            }
            _ = mkdir(String(folder.dropLast("/backups".count)), 0o755)
            _ = mkdir(folder, 0o755)
            try db.backup(to: target + ".partial")
            guard rename(target + ".partial", target) == 0 else { throw MigrationError.unreadable(path: target, reason: String(cString: strerror(errno))) }
        } catch let error as MigrationError {
            throw reporter.fail(error)
        } catch {
            reporter.report(error)
            throw Exit.failure
        }
        let keep = max(keep ?? settings.keepBackups, 1)
        let old = ((try? listFolder(folder)) ?? []).filter { $0.hasPrefix(base + ".") && $0.hasSuffix(".bak") }.sorted().dropLast(keep)
        for name in old { unlink(folder + "/" + name) }
        if json {
            var e = JSONEvent("backup"); e.path = target; e.ok = true
            reporter.emit(e)
        } else {
            reporter.say("BACKUP   \(target)")
        }
    }
}

enum WallStamp {
    /// UTC `YYYYMMDDTHHMMSSZ`, sorting by time as text.
    static func now() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)\(pad(parts.tm_mon + 1))\(pad(parts.tm_mday))T\(pad(parts.tm_hour))\(pad(parts.tm_min))\(pad(parts.tm_sec))Z"
    }
}

func listFolder(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
