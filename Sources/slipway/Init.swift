import ArgumentParser
import DeployCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a project here: a commented deploy.yml with a local target, and a migrations folder.",
        discussion: "Writes nothing over an existing file. Then: `slipway new create_users`, `slipway deploy local`.")

    @Option(help: "The app's name in deploy.yml. Default: this folder's name.")
    var app: String?

    @Option(help: "The SQLite database file, relative to the target's path.")
    var db: String = "app.db"

    func run() throws {
        let reporter = Reporter(json: false)
        let fm = FileManager.default
        let name = app ?? URL(fileURLWithPath: fm.currentDirectoryPath).lastPathComponent
        if let existing = SpecLocation.find() {
            reporter.report(DeployFailure(existing == SpecLocation.fileName
                ? "deploy.yml already exists here; nothing was written (`slipway check` validates it)"
                : "\(existing) already serves this folder (slipway finds it by walking up); nothing was written"))
            throw Exit.invalidInput
        }
        guard Self.isPlain(name), Self.isPlain(db) else {
            reporter.report(DeployFailure("--app and --db take plain names (letters, digits, '.', '_', '-', '/'); nothing was written"))
            throw Exit.invalidInput
        }
        var created = ["deploy.yml"]
        do {
            // Without overwriting: a deploy.yml written meanwhile stays as it is.
            try Data(Self.template(app: name, database: db).utf8)
                .write(to: URL(fileURLWithPath: SpecLocation.fileName), options: .withoutOverwriting)
        } catch {
            reporter.report(DeployFailure("cannot write deploy.yml here: \(error.localizedDescription); nothing was written"))
            throw Exit.failure
        }
        if !fm.fileExists(atPath: "migrations") {
            do {
                try fm.createDirectory(atPath: "migrations", withIntermediateDirectories: false)
            } catch {
                reporter.report(DeployFailure("wrote deploy.yml but cannot create migrations/: \(error.localizedDescription)"))
                throw Exit.failure
            }
            created.append("migrations/")
        }
        reporter.say("Created \(created.joined(separator: " and ")).")
        reporter.say("Next: slipway new create_users   # then fill in its SQL")
        reporter.say("      slipway deploy local       # migrate \(db) here; `slipway check` validates deploy.yml")
    }

    /// Names that need no quoting in YAML.
    static func isPlain(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-/".unicodeScalars.contains($0))
        }
    }

    static func template(app: String, database: String) -> String {
        """
        # slipway's deploy spec. `slipway check` validates it; `slipway deploy local` runs it.
        app: \(app)

        database:
          path: \(database)\(String(repeating: " ", count: max(1, 22 - database.count)))# the SQLite file, relative to the target's path
          migrations: migrations      # numbered .sql files, applied in filename order
          backup: true                # a consistent copy before the first pending migration
          # keep_backups: 5
          # keep_rollback: 20         # how many migrations keep their rollback data

        targets:
          local:
            path: .                   # the folder of this file
          # production:
          #   host: deploy@app.example.com
          #   path: /srv/\(app)
          #   rehearse_on: staging    # deploy to a staging target first

        steps:
          # - pm2: stop \(app)
          # - git: pull
          - migrate
          # - run: npm run build
          # - pm2: start \(app)

        # Run when a step fails after an earlier one changed something (journaled):
        # on_failure:
        #   - pm2: start \(app)

        """
    }
}
