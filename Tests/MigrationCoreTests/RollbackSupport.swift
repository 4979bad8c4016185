import Foundation
import Logging
import Testing
import SQLiteKit
@testable import MigrationCore

/// The user-visible state of a database: normalized schema and a digest of
/// every table's rows (values with their storage class, rowids included).
struct FullState: Equatable, CustomStringConvertible {
    var schema: String
    var rows: [String: String]

    init(_ path: String) throws {
        let db = try Connection(path: path, mode: .readOnly)
        let schema = try Schema.read(db, excluding: "_migrations")
        self.schema = schema.normalized
        var rows: [String: String] = [:]
        for table in schema.tables { rows[table.name] = try TableDigest.of(table.name, on: db) }
        if try db.scalar("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'") != nil {
            // The tracking table's own counter moves with every migration and rollback: not user data.
            rows["sqlite_sequence"] = try db.query("SELECT name, seq FROM sqlite_sequence WHERE name <> '_migrations' ORDER BY name")
                .map { "\($0[0]):\($0[1])" }.joined(separator: ",")
        }
        self.rows = rows
    }

    var description: String { schema + "\n" + rows.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(12))" }.joined(separator: " ") }
}

extension TempProject {
    /// Applies `setup`, then `migrations` in one run configured by `configure`, then rolls
    /// them all back: the database must be as `setup` left it, byte for byte, and clean.
    /// `scenario` describes the case in every failure.
    func roundTrip(setup: String, migrations: [String], scenario: String,
                   _ configure: (inout MigrateOptions) -> Void = { _ in }) throws {
        write("001_setup.sql", setup)
        #expect(migrate().error == nil, "\(scenario)")
        let before = try FullState(database)
        for (i, sql) in migrations.enumerated() { write("00\(i + 2)_change.sql", sql) }
        let up = migrate(configure)
        guard up.error == nil else {
            Issue.record("the generator made an invalid migration: \(scenario)\n\(String(describing: up.error))")
            return
        }
        let down = rollback { $0.steps = migrations.count }
        #expect(down.error == nil, "\(scenario)\n\(String(describing: down.error))")
        #expect(try FullState(database) == before, "\(scenario)")
        #expect(try checksClean())
    }

    @discardableResult
    func rollback(_ configure: (inout RollbackOptions) -> Void = { _ in }) -> (events: [RollbackEvent], error: MigrationError?) {
        var options = RollbackOptions()
        configure(&options)
        let box = RollbackEventBox()
        let rollbacker = Rollbacker(
            directory: MigrationDirectory(path: migrations), database: DatabaseOpener(path: database, busyTimeoutMilliseconds: 5000),
            options: options, events: { box.events.append($0) })
        do {
            try rollbacker.run()
            return (box.events, nil)
        } catch {
            return (box.events, error)
        }
    }

    func checksClean() throws -> Bool {
        let db = try db()
        return try db.query("PRAGMA integrity_check") == [["ok"]] && db.query("PRAGMA foreign_key_check").isEmpty
    }
}

final class RollbackEventBox: @unchecked Sendable {
    var events: [RollbackEvent] = []
}

extension TempProject {
    /// How the migration's rollback data was kept (`generated`, `columns`, `backup`), from its tracking row.
    func strategy(of filename: String) throws -> String? {
        guard let row = try db().query("SELECT rollback_record FROM _migrations WHERE filename = ?", [.text(filename)]).first,
              let json = row[0].string else { return nil }
        return try db().scalar("SELECT coalesce(json_extract(?, '$.strategy'), 'generated')", [.text(json)])?.string
    }

    /// How many of slipway's data copies of one kind (`snap`, `cols`) the database holds.
    func copies(_ kind: String) throws -> Int64 {
        try db().scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE ? ESCAPE '\\'", [.text("\\_slipway\\_\(kind)\\_%")])?.int ?? -1
    }
}
