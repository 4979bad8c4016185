import Foundation
import Logging
import SQLiteKit
@testable import MigrationCore

/// A temp folder with a `migrations/` folder and a database path, for real-file
/// tests. Removed when the test lets go of it.
final class TempProject {
    let root: String
    var migrations: String { root + "/migrations" }
    var database: String { root + "/app.db" }

    init() {
        root = NSTemporaryDirectory() + "slipway-core-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: root + "/migrations", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ name: String, _ sql: String) {
        try! sql.write(toFile: migrations + "/" + name, atomically: true, encoding: .utf8)
    }

    func remove(_ name: String) { try! FileManager.default.removeItem(atPath: migrations + "/" + name) }

    /// Runs `migrate` in-process; returns the events, the summary and the error, if any.
    @discardableResult
    func migrate(_ configure: (inout MigrateOptions) -> Void = { _ in }) -> (events: [MigrationEvent], summary: MigrationSummary, error: MigrationError?) {
        var options = MigrateOptions()
        configure(&options)
        let box = EventBox()
        let migrator = Migrator(
            directory: MigrationDirectory(path: migrations), database: DatabaseOpener(path: database, busyTimeoutMilliseconds: 5000),
            options: options, logger: Logger(label: "test"), events: { box.events.append($0) })
        do {
            try migrator.run()
            return (box.events, migrator.summary, nil)
        } catch {
            return (box.events, migrator.summary, error)
        }
    }

    func db() throws -> Connection { try Connection(path: database, mode: .readWrite) }

    func rows(_ sql: String) throws -> [[SQLiteValue]] { try db().query(sql) }

    func tracked() throws -> [String] { try rows("SELECT filename FROM _migrations ORDER BY id").compactMap { $0[0].string } }

    var exists: Bool { FileManager.default.fileExists(atPath: database) }
}

final class EventBox: @unchecked Sendable {
    var events: [MigrationEvent] = []
}
