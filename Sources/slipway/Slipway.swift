import ArgumentParser
import DeployCore

#if canImport(Glibc)
import Glibc
#endif

@main
struct Slipway: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slipway",
        abstract: "Migrate SQLite databases and deploy the apps that use them.",
        version: "0.1.0",
        subcommands: [Init.self, Migrate.self, Status.self, Validate.self, Reset.self, New.self, Rollback.self, Rehearse.self, Agent.self,
                      Check.self, Deploy.self, History.self, Backup.self, Baseline.self, Repair.self, Prune.self, Dump.self, Diff.self, Lint.self])

    /// Parses, runs, and maps every failure to one exit status: 0 success,
    /// 2 invalid input (usage, spec, unreadable file), 1 anything else.
    /// ArgumentParser's usage errors (64) become 2 here, in one place.
    static func main() {
        if let unknown = unknownCommand(Array(CommandLine.arguments.dropFirst())) {
            Terminal.standardError.write("slipway: error: " + unknown + "\n")
            Glibc.exit(2)
        }
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

    /// Why the first word is not a subcommand, with the nearest one when it looks like a typo;
    /// nil when it is one (or an option: slipway itself takes no other word).
    static func unknownCommand(_ arguments: [String]) -> String? {
        guard let word = arguments.first, !word.hasPrefix("-") else { return nil }
        guard !configuration.subcommands.contains(where: { $0._commandName == word }), word != "help" else { return nil }
        let names = configuration.subcommands.filter { $0.configuration.shouldDisplay }.map { $0._commandName } + ["help"]
        if let near = Suggestion.closest(to: word, in: names) { return "unknown command '\(word)'. Did you mean '\(near)'?" }
        return "unknown command '\(word)'; commands: \(names.joined(separator: ", ")) (see `slipway --help`)"
    }
}

/// Exit statuses the commands throw once they have reported a failure themselves.
enum Exit {
    static let failure = ExitCode(1)
    static let invalidInput = ExitCode(2)
}
