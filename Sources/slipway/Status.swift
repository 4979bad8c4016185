import ArgumentParser
import DeployCore
import MigrationCore
import SQLiteKit

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show applied, pending, modified, missing and adopted migrations. Changes nothing.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object per migration, then a summary.")
    var json = false

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve(many: true) } catch { throw reporter.fail(error) }
        if settings.selection.isMany { return try runMany(settings, reporter) }
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
        json ? renderJSON(inventory, usage, reporter) : render(inventory, usage, settings, reporter)
    }

    private func renderJSON(_ inventory: Inventory, _ usage: RollbackUsage, _ reporter: Reporter) {
        for entry in inventory.entries {
            var e = JSONEvent("migration")
            e.file = entry.filename
            e.state = entry.state.rawValue
            e.appliedAt = entry.row.map { WallClock.rfc3339($0.appliedAt * 1000) }
            e.appliedAtUnix = entry.row?.appliedAt
            e.durationMs = entry.row?.durationMilliseconds.map(Int.init)
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
    }

    /// A table of the migrations, then summary lines (the counts first).
    private func render(_ inventory: Inventory, _ usage: RollbackUsage, _ settings: ResolvedSettings, _ reporter: Reporter) {
        reporter.say("Database \(settings.database ?? ""), migrations in \(settings.migrations)")
        let entries = inventory.entries
        var table = Table(header: ["STATE", "FILE", "APPLIED (UTC)", "DURATION"])
        table.rows = entries.map { entry in
            [entry.state.rawValue.uppercased(), entry.filename,
             entry.row.map { WallClock.plainText($0.appliedAt * 1000) } ?? "-",
             entry.row?.durationMilliseconds.map { seconds(Int($0)) } ?? "-"]
        }
        let out = reporter.out
        if !entries.isEmpty {
            let lines = table.lines { row, column, cell in
                guard column == 0 else { return cell }
                return switch entries[row].state {
                case .applied, .adopted: out.paint(cell, .green)
                case .pending: out.paint(cell, .bold)
                case .modified, .missing: out.paint(cell, .yellow)
                }
            }
            lines.forEach { reporter.say($0) }
        }
        // The `-- requires:` graph's problems, which migrate and validate refuse.
        let prerequisites = MigrationPrerequisites(files: entries.compactMap(\.file), rows: entries.compactMap(\.row)).problems()
        for problem in prerequisites { reporter.say(out.paint("REQUIRES ", .yellow) + "\(problem.filename): \(problem.message)") }
        let counts = Inventory.State.allCases.map { "\(inventory.count($0)) \($0.rawValue)" }
        reporter.say("\(count(entries.count, "migration")): " + counts.joined(separator: ", "))
        guard usage.migrations + usage.pruned > 0 else { return }  // nothing applied yet
        reporter.say("Rollback data: \(bytes(usage.bytes)) for \(count(usage.migrations, "migration"))"
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
