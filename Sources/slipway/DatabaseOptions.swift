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
    @Option(help: "The SQLite database file. Default: database.path in deploy.yml, else $SLIPWAY_DB.")
    var db: String?

    @Option(help: "The migrations folder. Default: database.migrations in deploy.yml, else 'migrations'.")
    var dir: String?

    @Option(help: "The deploy spec to read defaults from. Default: ./deploy.yml when it exists.")
    var config: String?

    @Option(help: "The tracking table. Default: database.table in deploy.yml, else '_migrations'.")
    var table: String?

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another writer's lock. Default: database.lock_timeout in deploy.yml, else 60.")
    var lockTimeout: Int?

    /// deploy.yml when given or present; nil otherwise.
    func spec() throws(SpecError) -> DeploySpec? {
        let path = config ?? "deploy.yml"
        guard config != nil || access(path, F_OK) == 0 else { return nil }
        guard let text = readText(path) else {
            throw SpecError(file: path, message: "cannot read the deploy spec: \(String(cString: strerror(errno)))")
        }
        return try SpecLoader().load(text: text, file: path)
    }

    /// The settings this command runs with, resolved from flags, deploy.yml and the environment.
    func resolve(requireDatabase: Bool = true) throws(ResolveError) -> ResolvedSettings {
        let spec: DeploySpec?
        do { spec = try self.spec() } catch { throw .spec(error) }
        let base = spec?.folder ?? "."
        let settings = spec?.database ?? DatabaseSettings()
        var database = db ?? settings.path.map { join(base, $0) }
        if database == nil, let env = getenv("SLIPWAY_DB"), env.pointee != 0 { database = String(cString: env) }
        if requireDatabase && database == nil {
            throw .noDatabase
        }
        let seconds = lockTimeout ?? settings.lockTimeout ?? 60
        return ResolvedSettings(
            database: database,
            migrations: dir ?? settings.migrations.map { join(base, $0) } ?? "migrations",
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

struct ResolvedSettings {
    var database: String?
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

    var description: String {
        switch self {
        case .spec(let error): error.description
        case .noDatabase:
            "no database given: pass --db PATH, set database.path in deploy.yml, or set SLIPWAY_DB"
        }
    }
}

/// A text file's contents, or nil when it cannot be read.
func readText(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}
