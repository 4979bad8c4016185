import ArgumentParser
import DeployCore
import MigrationCore

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Accept an intended edit of an applied migration: record the file's new checksum.",
        discussion: """
            migrate stops when an applied file has changed since it ran. When the edit is intended \
            (a comment, a fix that changes nothing already applied), repair records the file's checksum \
            now; the edit itself is not run. An edited down section replaces the one recorded when \
            the migration was applied, which is what rollback runs (fix a broken one this way). \
            The row keeps a journal of what was accepted, by whom and when.
            """)

    @Argument(help: "The applied migration: its filename (008_fix.sql) or its number (008).")
    var migration: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let reporter = Reporter(json: false)
        let settings: ResolvedSettings
        do { settings = try database.resolve() } catch { throw reporter.fail(error) }
        let repair: ChecksumRepair?
        let file: MigrationFile
        do {
            let files = try settings.directory.load()
            file = try MigrationLookup(files: files).find(migration)
            repair = try settings.table.repair(
                migration, files: files, by: Identity.loginName ?? "unknown",
                at: WallClock.milliseconds() / 1000, opener: settings.opener()!)
        } catch {
            throw reporter.fail(error)
        }
        guard let repair else {
            reporter.say("Nothing to repair: \(file.filename) matches its recorded checksum.")
            return
        }
        let from = repair.from.map { String($0.prefix(12)) } ?? "none"
        reporter.say("REPAIRED \(file.filename): checksum \(from) → \(repair.to.prefix(12)); the edit was not run.")
        if repair.downSection == true {
            reporter.say("         its down section changed: rollback now runs the file's (an empty one: the reverse slipway recorded).")
        }
    }
}
