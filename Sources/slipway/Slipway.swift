import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

@main
struct Slipway: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slipway",
        abstract: "Migrate SQLite databases and deploy the apps that use them.",
        version: "0.1.0",
        subcommands: [Migrate.self, Status.self, Validate.self, Reset.self, New.self, Rollback.self, Rehearse.self, Agent.self,
                      Check.self, Deploy.self, History.self, Backup.self, Baseline.self, Repair.self, Prune.self])

    /// Parses, runs, and maps every failure to one exit status: 0 success,
    /// 2 invalid input (usage, spec, unreadable file), 1 anything else.
    /// ArgumentParser's usage errors (64) become 2 here, in one place.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            Terminal.standardError.write("slipway: " + fullMessage(for: error) + "\n")
            Glibc.exit(code == .validationFailure ? 2 : (code.rawValue == 0 ? 1 : code.rawValue))
        }
        Glibc.exit(0)
    }
}

/// Exit statuses the commands throw once they have reported a failure themselves.
enum Exit {
    static let failure = ExitCode(1)
    static let invalidInput = ExitCode(2)
}
