import ArgumentParser
import MigrationCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fail on modified or missing migrations and duplicate numbers; warn on gaps and unnumbered names.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print one JSON object per finding, then a summary.")
    var json = false

    func run() throws {
        let reporter = Reporter(json: json)
        let settings: ResolvedSettings
        do { settings = try database.resolve(requireDatabase: false) } catch { throw reporter.fail(error) }
        let findings: [ValidationFinding]
        let fileCount: Int
        do {
            let files = try settings.directory.load()
            fileCount = files.count
            findings = Validator(files: files, rows: try readRows(settings)).findings()
        } catch {
            throw reporter.fail(error)
        }
        let errors = findings.filter { $0.severity == .error }.count
        if json {
            for finding in findings {
                var e = JSONEvent("finding")
                e.severity = finding.severity.rawValue; e.file = finding.filename; e.message = finding.message
                reporter.emit(e)
            }
            var s = JSONEvent("summary")
            s.files = fileCount; s.errors = errors; s.warnings = findings.count - errors; s.ok = errors == 0
            reporter.emit(s)
        } else {
            if settings.database == nil {
                reporter.say("note: no database configured; checked the files only (pass --db to compare with the tracking table)")
            }
            for finding in findings {
                let label = finding.severity == .error ? reporter.out.paint("error", .red) : reporter.out.paint("warning", .yellow)
                reporter.say("\(label): \(finding.filename): \(finding.message)")
            }
            reporter.say(errors == 0
                ? "\(fileCount) migrations valid\(findings.isEmpty ? "" : " (\(findings.count) warning\(findings.count == 1 ? "" : "s"))")."
                : "\(errors) error\(errors == 1 ? "" : "s") in \(fileCount) migrations.")
        }
        if errors > 0 { throw Exit.failure }
    }
}
