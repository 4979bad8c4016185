import MigrationCore

#if canImport(Glibc)
import Glibc
#endif

/// Preflight's database check, run on the target by its agent in the target's folder:
/// the migrations folder and the tracking table as `migrate` will see them there.
public struct DatabaseCheck {
    public var database: DatabaseSettings
    /// The plan pulls code first: a missing migrations folder may arrive with it.
    public var gitBringsFiles: Bool

    public init(database: DatabaseSettings, gitBringsFiles: Bool) {
        self.database = database
        self.gitBringsFiles = gitBringsFiles
    }

    public func run() -> Preflight.Check {
        typealias Check = Preflight.Check
        guard let dbPath = database.path, !dbPath.isEmpty else {
            return Check(name: "database", ok: false, detail: "deploy.yml has a migrate step but no database.path")
        }
        guard DatabaseSelection.isPattern(dbPath) else { return run(dbPath) }
        // A pattern (a database per tenant): each match as migrate will see it.
        guard let selection = try? DatabaseSelection([dbPath]) else {
            return Check(name: "database", ok: false, detail: "database.path '\(dbPath)' matches no file on the target")
        }
        for path in selection.paths {
            var check = run(path)
            guard check.ok else {
                check.detail = "\(path): " + check.detail
                return check
            }
        }
        return Check(name: "migrations", ok: true, detail: "\(selection.paths.count) databases match \(dbPath), each checked")
    }

    private func run(_ dbPath: String) -> Preflight.Check {
        typealias Check = Preflight.Check
        let directory = MigrationDirectory(path: database.migrations ?? "migrations")
        let opener = DatabaseOpener(path: dbPath, busyTimeoutMilliseconds: 5000)
        do throws(MigrationError) {
            let files = try directory.load()
            var rows: [AppliedMigration] = []
            if let db = try opener.openForReading() {
                do {
                    rows = try TrackingTable(name: database.table ?? "_migrations").rows(on: db)
                } catch let error as MigrationError {
                    throw error
                } catch {
                    return Check(name: "database", ok: false, detail: "cannot read the tracking table of \(dbPath): \(error)")
                }
            } else {
                let folder = dbPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                var info = stat()
                if !folder.isEmpty && (stat(folder, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR) {
                    return Check(name: "database", ok: false, detail: "the database's folder '\(folder)' does not exist")
                }
            }
            let validator = Validator(files: files, rows: rows)
            let errors = validator.findings(allowModified: database.allowModified).filter { $0.severity == .error }
            guard errors.isEmpty else {
                return Check(name: "migrations", ok: false,
                             detail: "validate fails: " + errors.map(\.description).joined(separator: "; ") + " (see `slipway validate`)")
            }
            let pending = validator.inventory.pending
            if !database.outOfOrder {
                let problems = MigrationOrder(files: files, rows: rows).problems(pending: pending)
                if !problems.isEmpty {
                    return Check(name: "migrations", ok: false, detail: MigrationError.outOfOrder(problems).description)
                }
            }
            return Check(name: "migrations", ok: true, detail: "\(files.count) valid, \(pending.count) pending, database \(dbPath)")
        } catch {
            if case .migrationsFolderMissing = error, gitBringsFiles {
                return Check(name: "migrations", ok: true, detail: "no migrations folder yet: the git step brings it; migrate checks it then")
            }
            return Check(name: "migrations", ok: false, detail: error.description)
        }
    }
}
