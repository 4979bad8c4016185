import ArgumentParser
import DeployCore
import MigrationCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Where the database and migrations are, shared by every migration command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"),
            help: "The SQLite database file. Default: database.path in deploy.yml, else $SLIPWAY_DB. migrate, status, validate, rollback, rehearse and dump take several (repeat --db, or a pattern such as 'tenants/*.db').")
    var databases: [String] = []

    /// The one `--db` given, if any.
    var db: String? { databases.first }

    @Option(help: "The migrations folder. Default: database.migrations in deploy.yml, else 'migrations'.")
    var dir: String?

    @Option(help: "The deploy spec to read defaults from. Default: the nearest deploy.yml in this folder or above, if any.")
    var config: String?

    @Option(help: "The tracking table. Default: database.table in deploy.yml, else '_migrations'.")
    var table: String?

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another writer's lock. Default: database.lock_timeout in deploy.yml, else 60.")
    var lockTimeout: Int?

    /// deploy.yml when given or found in this folder or above; nil otherwise.
    func spec() throws(SpecError) -> DeploySpec? {
        guard let path = config ?? SpecLocation.find() else { return nil }
        return try SpecFile.load(path)
    }

    /// The settings this command runs with, resolved from flags, deploy.yml and the environment.
    /// `needsMigrations`: a migrations folder that deploy.yml names must exist (an error
    /// at its `database.migrations`, which is what to change).
    /// `many`: the command takes several databases (`--db` repeated, a pattern); others refuse them.
    func resolve(requireDatabase: Bool = true, needsMigrations: Bool = true, many: Bool = false) throws(ResolveError) -> ResolvedSettings {
        let spec: DeploySpec?
        do { spec = try self.spec() } catch { throw .spec(error) }
        let base = spec?.folder ?? "."
        let settings = spec?.database ?? DatabaseSettings()
        var given = databases.isEmpty ? settings.path.map { [join(base, $0)] } ?? [] : databases
        if given.isEmpty, let env = getenv("SLIPWAY_DB"), env.pointee != 0 { given = [String(cString: env)] }
        let selection: DatabaseSelection
        do { selection = try DatabaseSelection(given) } catch { throw .selection(error) }
        if requireDatabase && selection.paths.isEmpty {
            throw .noDatabase
        }
        if selection.isMany && !many { throw .oneDatabase(selected: selection.paths.count) }
        let seconds = lockTimeout ?? settings.lockTimeout ?? 60
        // Beside deploy.yml by default: the same folder from wherever it was found.
        let migrations = dir ?? join(base, settings.migrations ?? "migrations")
        if needsMigrations, dir == nil, let spec, let named = settings.migrations, !isDirectory(migrations) {
            throw .spec(SpecError(file: spec.file, at: settings.migrationsMark,
                                  message: "database.migrations: the folder '\(named)' does not exist"
                                      + (base == "." ? "" : " (relative to \(base), the folder of \(spec.file))")
                                      + "; change database.migrations, or pass --dir"))
        }
        return ResolvedSettings(
            database: selection.paths.first,
            selection: selection,
            migrations: migrations,
            table: TrackingTable(name: table ?? settings.table ?? "_migrations"),
            busyTimeoutMilliseconds: seconds * 1000,
            backupByDefault: settings.backup,
            keepBackups: settings.keepBackups ?? 5,
            keepRollback: settings.keepRollback ?? 20,
            outOfOrder: settings.outOfOrder,
            schemaFile: settings.schemaFile.map { join(base, $0) })
    }

    private func join(_ base: String, _ path: String) -> String {
        path.hasPrefix("/") || base == "." ? path : base + "/" + path
    }
}

/// Whether `path` is a folder (a missing one is not).
func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
}

struct ResolvedSettings {
    /// The database, or the first of several.
    var database: String?
    var selection: DatabaseSelection
    var migrations: String
    var table: TrackingTable
    var busyTimeoutMilliseconds: Int
    var backupByDefault: Bool
    var keepBackups: Int
    /// deploy.yml's `database.keep_rollback`, else 20.
    var keepRollback: Int
    /// deploy.yml's `database.out_of_order`.
    var outOfOrder = false
    /// deploy.yml's `database.schema_file`, relative to deploy.yml's folder.
    var schemaFile: String?

    var directory: MigrationDirectory { MigrationDirectory(path: migrations) }

    func opener() -> DatabaseOpener? {
        database.map { DatabaseOpener(path: $0, busyTimeoutMilliseconds: busyTimeoutMilliseconds) }
    }
}

enum ResolveError: Error, CustomStringConvertible {
    case spec(SpecError)
    case noDatabase
    /// A `--db` pattern that matches nothing.
    case selection(MigrationError)
    /// Several databases for a command that works on one.
    case oneDatabase(selected: Int)

    var description: String {
        switch self {
        case .spec(let error): error.description
        case .noDatabase:
            "no database given: pass --db PATH, set database.path in deploy.yml, or set SLIPWAY_DB"
        case .selection(let error): error.description
        case .oneDatabase(let selected):
            "--db selects \(selected == 1 ? "its database through a pattern" : "\(selected) databases"), but this command works on one: name a single database"
        }
    }
}

