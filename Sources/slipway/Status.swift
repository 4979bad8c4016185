import ArgumentParser
import MigrationCore
import SQLiteKit

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show applied, pending, modified, missing and adopted migrations. Changes nothing.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object per migration, then a summary.")
    var json = false

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        let inventory: Inventory
        let usage: RollbackUsage
        do {
            let files = try settings.directory.load()
            let rows = try readRows(settings)
            inventory = Inventory(files: files, rows: rows)
            usage = try RollbackUsage.read(settings.opener()!, table: settings.table)
        } catch {
            throw reporter.fail(error)
        }
        if json {
            for entry in inventory.entries {
                var e = JSONEvent("migration")
                e.file = entry.filename
                e.state = entry.state.rawValue
                e.appliedAt = entry.row?.appliedAt
                e.checksum = entry.file?.checksum
                e.recorded = entry.row?.checksum
                reporter.emit(e)
            }
            var s = JSONEvent("summary")
            s.applied = inventory.count(.applied); s.pending = inventory.count(.pending)
            s.modified = inventory.count(.modified); s.missing = inventory.count(.missing)
            s.adopted = inventory.count(.adopted); s.ok = true
            s.rollbackBytes = usage.bytes; s.rollbackMigrations = usage.migrations
            reporter.emit(s)
            return
        }
        let out = reporter.out
        reporter.say("Database \(settings.database ?? ""), migrations in \(settings.migrations)")
        for entry in inventory.entries {
            let label = entry.state.rawValue.uppercased().padding(9)
            let color: Terminal.Color = switch entry.state {
            case .applied, .adopted: .green
            case .pending: .bold
            case .modified, .missing: .yellow
            }
            let when = entry.row.map { "  applied \(utcTime($0.appliedAt))" } ?? ""
            reporter.say(out.paint(label, color) + entry.filename + when)
        }
        let counts = Inventory.State.allCases.map { "\(inventory.count($0)) \($0.rawValue)" }
        reporter.say(counts.joined(separator: ", "))
        reporter.say("Rollback data: \(bytes(usage.bytes)) for \(usage.migrations) migration\(usage.migrations == 1 ? "" : "s")"
            + (usage.pruned > 0 ? " (\(usage.pruned) older pruned, keep_rollback \(settings.keepRollback))" : ""))
    }
}

/// The tracking rows, read without creating the database or the table.
func readRows(_ settings: ResolvedSettings) throws(MigrationError) -> [AppliedMigration] {
    guard let opener = settings.opener(), let db = try opener.openForReading() else { return [] }
    do {
        return try settings.table.rows(on: db)
    } catch let error as MigrationError {
        throw error
    } catch {
        throw opener.classify(error as? SQLiteError ?? .init(code: 1, message: "\(error)"), while: "reading \(settings.table.name)")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
