import Foundation
import Testing

/// What people meet first: help, typos, completion.
@Suite("help, unknown commands and completion")
struct HelpTests {
    static let commands = ["migrate", "status", "validate", "reset", "new", "rollback", "rehearse", "check", "deploy", "history", "backup"]

    @Test("no option's help says its default twice", arguments: commands)
    func defaultsOnce(_ command: String) throws {
        let help = try CLI().run(command, "--help")
        #expect(help.status == 0)
        // An option's entry: its line starting with "  -" and the indented lines after it.
        let options = help.stdout.components(separatedBy: "\n  -").dropFirst()
        for entry in options {
            let mentions = entry.lowercased().components(separatedBy: "default:").count - 1  // ours "Default: …", ArgumentParser's "(default: …)"
            #expect(mentions <= 1, "\(command): \(entry)")
        }
    }

    @Test("new takes only where the migrations are: no --db, --table or --lock-timeout")
    func newOptions() throws {
        let cli = CLI()
        let help = try cli.run("new", "--help")
        #expect(help.stdout.contains("--dir") && !help.stdout.contains("--db") && !help.stdout.contains("--lock-timeout"), "\(help.stdout)")
        let refused = try cli.run("new", "x", "--db", "app.db")
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(try cli.run("new", "add_notes", "--dir", "migrations").stdout.contains("Created migrations/"))
    }

    @Test("help rollback says what rollback does: down section or generated reverse, and a TARGET's code and database")
    func rollbackHelp() throws {
        let help = try CLI().run("help", "rollback").stdout.replacingOccurrences(of: "\n", with: " ")
        for phrase in ["down section", "reverse slipway generated", "session changeset", "one transaction",
                       "--accept-data-loss", "code and database together", "git reset --hard"] {
            #expect(help.contains(phrase), "\(phrase): \(help)")
        }
        #expect(!help.contains("its own transaction"), "all migrations of one rollback share one transaction")
    }

    @Test("a mistyped command: 'did you mean', exit 2; a word far from any command lists them")
    func unknownCommand() throws {
        let typo = try CLI().run("migrat")
        #expect(typo.status == 2)
        #expect(typo.stderr == "slipway: error: unknown command 'migrat'. Did you mean 'migrate'?\n")
        let far = try CLI().run("frobnicate", "--db", "x")
        #expect(far.status == 2)
        #expect(far.stderr.contains("unknown command 'frobnicate'; commands: init, migrate, status"), "\(far.stderr)")
        #expect(!far.stderr.contains("agent"), "hidden commands stay hidden")
        #expect(try CLI().run("help", "migrate").status == 0)
    }

    @Test("a mistyped target: 'did you mean', exit 2")
    func unknownTarget() throws {
        let cli = CLI()
        cli.write("deploy.yml", "targets:\n  staging:\n    path: .\nsteps:\n  - run: \"true\"\n")
        let r = try cli.run("deploy", "stagin", "--dry-run")
        #expect(r.status == 2)
        #expect(r.stderr.contains("no target 'stagin' in deploy.yml (did you mean 'staging'?)"), "\(r.stderr)")
    }

    @Test("TARGET completes to deploy.yml's targets, from --config when given", arguments: ["deploy", "rollback", "history", "rehearse"])
    func targetCompletion(_ command: String) throws {
        let cli = CLI()
        cli.write("deploy.yml", "targets:\n  local:\n    path: .\n  staging:\n    path: .\nsteps:\n  - run: \"true\"\n")
        cli.write("other/spec.yml", "targets:\n  production:\n    path: .\nsteps:\n  - run: \"true\"\n")
        // What the generated shell scripts run: ---completion SUBCOMMAND -- ARGUMENT WORD-INDEX CURSOR WORDS…
        let all = try cli.run("---completion", command, "--", "positional@0", "0", "0", "")
        #expect(all.stdout.split(separator: "\n") == ["local", "staging"], "\(all.stdout)\(all.stderr)")
        #expect(try cli.run("---completion", command, "--", "positional@0", "0", "2", "st").stdout == "staging\n")
        let other = try cli.run("---completion", command, "--", "positional@0", "2", "0", "--config", "other/spec.yml", "")
        #expect(other.stdout == "production\n", "\(other.stdout)\(other.stderr)")
    }
}
