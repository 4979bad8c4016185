import Foundation
import Testing
import SQLiteKit

@Suite("slipway migrate, driven as a process")
struct MigrateCommandTests {
    @Test("applies, then skips: SKIP lines only with --verbose, the count always; exit 0 both times")
    func appliesThenSkips() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE t (x);")
        cli.migration("002_b.sql", "INSERT INTO t VALUES (1);")
        let first = try cli.run("migrate", "--db", "app.db")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("APPLY    001_a.sql"))
        let second = try cli.run("migrate", "--db", "app.db")
        #expect(second.status == 0)
        #expect(!second.stdout.contains("SKIP"), "\(second.stdout)")
        #expect(second.stdout.contains("0 applied, 2 skipped"))
        let verbose = try cli.run("migrate", "--db", "app.db", "--verbose")
        #expect(verbose.stdout.contains("SKIP     001_a.sql (already applied)"))
        #expect(verbose.stdout.contains("0 applied, 2 skipped"))
        #expect(!second.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    @Test("--json prints one object per line and the summary last")
    func jsonEvents() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE t (x);")
        cli.migration("002_b.sql", "CREATE TABLE t (x);\nINSERT INTO t VALUES (1);")
        let result = try cli.run("migrate", "--db", "app.db", "--json")
        #expect(result.status == 0)
        let lines = result.jsonLines
        #expect(lines.count == result.stdout.split(separator: "\n").count, "every line is JSON")
        #expect(lines.first?["event"] as? String == "start")
        #expect(lines.contains { $0["event"] as? String == "tolerated" && $0["statement"] as? Int == 1 })
        let summary = try #require(lines.last)
        #expect(summary["event"] as? String == "summary")
        #expect(summary["applied"] as? Int == 2)
        #expect(summary["tolerated"] as? Int == 1)
        #expect(summary["ok"] as? Bool == true)
    }

    @Test("a bad statement: exit 1, file:line, the statement and SQLite's message; nothing recorded")
    func badSQL() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE t (x);\n\nINSERT INTO nope VALUES (1);\n")
        let result = try cli.run("migrate", "--db", "app.db")
        #expect(result.status == 1)
        #expect(result.stderr.contains("migrations/001_a.sql:3:1: error: statement 2 failed: no such table: nope"), "\(result.stderr)")
        #expect(result.stderr.contains("INSERT INTO nope VALUES (1);"))
        #expect(try cli.query("SELECT count(*) FROM _migrations") == [[0]])
        #expect(try cli.query("SELECT count(*) FROM sqlite_master WHERE name = 't'") == [[0]])

        let json = try cli.run("migrate", "--db", "app.db", "--json")
        let failed = try #require(json.jsonLines.first { $0["event"] as? String == "failed" })
        #expect(failed["line"] as? Int == 3)
        #expect(failed["sql"] as? String == "INSERT INTO nope VALUES (1);")
        #expect(json.jsonLines.last?["ok"] as? Bool == false)
    }

    @Test("invalid input exits 2 and changes nothing", arguments: [
        "text", "directory", "missing parent", "no migrations folder", "unknown flag", "corrupt",
    ])
    func invalidInput(_ kind: String) throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE t (x);")
        var args = ["migrate", "--db", "app.db"]
        var expected = ""
        switch kind {
        case "text":
            cli.write("app.db", "this is a text file; not a database\n")
            expected = "not a usable SQLite database"
        case "corrupt":
            var bytes = Array("SQLite format 3\0".utf8)
            bytes += [UInt8](repeating: 0xAB, count: 4096)
            _ = FileManager.default.createFile(atPath: cli.database, contents: Data(bytes))
            expected = "not a usable SQLite database"
        case "directory":
            try FileManager.default.createDirectory(atPath: cli.database, withIntermediateDirectories: true)
            expected = "it is a directory"
        case "missing parent":
            args = ["migrate", "--db", "no/such/folder/app.db"]
            expected = "folder 'no/such/folder' does not exist"
        case "no migrations folder":
            args += ["--dir", "nowhere"]
            expected = "migrations folder 'nowhere' does not exist"
        default:
            args += ["--frobnicate"]
            expected = "Unknown option '--frobnicate'"
        }
        let before = snapshot(cli)
        let result = try cli.run(args)
        #expect(result.status == 2, "\(kind): \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(kind): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(snapshot(cli) == before, "\(kind) changed files")
    }

    /// Names and contents of every file in the project (outside migrations/).
    func snapshot(_ cli: CLI) -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: cli.root)
        while let name = enumerator?.nextObject() as? String {
            if name.hasPrefix(".out-") || name.hasPrefix(".err-") { continue }
            result[name] = FileManager.default.contents(atPath: cli.root + "/" + name) ?? Data()
        }
        return result
    }

    @Test("no database configured: exit 2 and a message that says how to give one")
    func noDatabase() throws {
        let cli = CLI()
        let result = try cli.run("migrate")
        #expect(result.status == 2)
        #expect(result.stderr.contains("pass --db PATH, set database.path in deploy.yml, or set SLIPWAY_DB"))
        let json = try cli.run("migrate", "--json")
        #expect(json.status == 2)
        #expect(json.jsonLines.map { $0["event"] as? String } == ["failed", "summary"])
        let viaEnv = try cli.run(["migrate"], environment: ["SLIPWAY_DB": cli.root + "/env.db"])
        #expect(viaEnv.status == 0, "\(viaEnv.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.root + "/env.db"))
    }

    @Test("defaults come from deploy.yml's database section, relative to the file")
    func deployYamlDefaults() throws {
        let cli = CLI()
        cli.write("app/deploy.yml", "app: x\ndatabase:\n  path: data/app.db\n  migrations: sql\n  table: history\n")
        cli.write("app/sql/001_a.sql", "CREATE TABLE t (x);")
        try FileManager.default.createDirectory(atPath: cli.root + "/app/data", withIntermediateDirectories: true)
        let result = try cli.run("migrate", "--config", "app/deploy.yml")
        #expect(result.status == 0, "\(result.stderr)")
        let db = try Connection(path: cli.root + "/app/data/app.db", mode: .readOnly)
        #expect(try db.query("SELECT filename FROM history") == [["001_a.sql"]])
    }

    @Test("a deploy.yml error names file:line:column and exits 2")
    func deployYamlError() throws {
        let cli = CLI()
        cli.write("deploy.yml", "app: x\ndatabase:\n  pth: app.db\n")
        let result = try cli.run("migrate")
        #expect(result.status == 2)
        #expect(result.stderr.contains("deploy.yml:3:3: error: unknown key 'pth' (did you mean 'path'?)"), "\(result.stderr)")
    }

    @Test("a database locked by another process: a clear error that mentions the lock, nothing applied")
    func lockedDatabase() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE t (x);")
        #expect(try cli.run("migrate", "--db", "app.db").status == 0)
        cli.migration("002_b.sql", "CREATE TABLE u (x);")
        let holder = try Connection(path: cli.database, mode: .readWrite)
        try holder.execute("BEGIN EXCLUSIVE")
        let result = try cli.run("migrate", "--db", "app.db", "--lock-timeout", "0")
        try holder.execute("ROLLBACK")
        #expect(result.status == 1)
        #expect(result.stderr.contains("is locked by another connection"), "\(result.stderr)")
        #expect(try cli.query("SELECT count(*) FROM _migrations") == [[1]])
    }

    @Test("--dry-run on a missing database creates nothing")
    func dryRun() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE t (x);")
        let result = try cli.run("migrate", "--db", "app.db", "--dry-run")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("PLAN     001_a.sql (1 statement, one transaction; rollback: generated reverse)"))
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/.slipway"))
    }
}

@Suite("Colour only on a terminal, never with NO_COLOR")
struct ColourTests {
    /// Runs slipway on a real pseudo-terminal through util-linux's `script`.
    func onTerminal(_ cli: CLI, _ environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", "'\(CLI.binary)' migrate --db app.db", "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: cli.root)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["TERM"] = "xterm"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test("a terminal gets colour; NO_COLOR turns it off")
    func colour() throws {
        let cli = CLI()
        cli.migration("001_a.sql", "CREATE TABLE t (x);")
        #expect(try onTerminal(cli, [:]).contains("\u{1B}[32mAPPLY"))
        cli.migration("002_b.sql", "CREATE TABLE u (x);")
        let plain = try onTerminal(cli, ["NO_COLOR": "1"])
        #expect(plain.contains("APPLY    002_b.sql"))
        #expect(!plain.contains("\u{1B}[3"))
    }
}
