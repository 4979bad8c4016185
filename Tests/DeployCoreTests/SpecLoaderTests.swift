import Testing
@testable import DeployCore

@Suite("SpecLoader: deploy.yml with positions")
struct SpecLoaderTests {
    func load(_ text: String) throws(SpecError) -> DeploySpec {
        try SpecLoader().load(text: text, file: "deploy.yml")
    }

    func error(_ text: String) -> SpecError? {
        do { _ = try load(text); return nil } catch { return error }
    }

    @Test("the database section is read with its defaults")
    func database() throws {
        let spec = try load("app: cex\ndatabase:\n  path: monitor.db\n  migrations: db/migrations\n  backup: true\n  keep_backups: 3\n  lock_timeout: 5\ntargets:\n  local:\n    path: .\nsteps:\n  - migrate\n")
        #expect(spec.app == "cex")
        #expect(spec.database.path == "monitor.db")
        #expect(spec.database.migrations == "db/migrations")
        #expect(spec.database.backup)
        #expect(spec.database.keepBackups == 3)
        #expect(spec.database.lockTimeout == 5)
        #expect(spec.database.schemaFile == nil)
        #expect(try load("database:\n  schema_file: db/schema.sql\n").database.schemaFile == "db/schema.sql")
        #expect(error("database:\n  schema_file: [a]\n")?.line == 2)
    }

    @Test("unknown keys name line, column and a near miss")
    func unknownKey() {
        let e = error("app: x\ndatabase:\n  path: a.db\n  bakup: true\n")
        #expect(e?.description == "deploy.yml:4:3: error: unknown key 'bakup' (did you mean 'backup'?); expected one of: path, migrations, backup, keep_backups, keep_rollback, table, lock_timeout, out_of_order, schema_file")
        #expect(error("ap: x\n")?.description.hasPrefix("deploy.yml:1:1: error: unknown key 'ap' (did you mean 'app'?)") == true)
    }

    @Test("keep_rollback takes 0 or more, and a near miss is named")
    func keepRollback() throws {
        #expect(try load("database:\n  keep_rollback: 0\n").database.keepRollback == 0)
        #expect(try load("database:\n  keep_rollback: 7\n").database.keepRollback == 7)
        #expect(try load("database:\n  path: a.db\n").database.keepRollback == nil)
        #expect(error("database:\n  keep_rollback: -1\n")?.description
            == "deploy.yml:2:18: error: database.keep_rollback: expected a whole number ≥ 0, found '-1'")
        #expect(error("database:\n  keep_rollback: all\n")?.line == 2)
        #expect(error("database:\n  keep_rolback: 3\n")?.description.hasPrefix(
            "deploy.yml:2:3: error: unknown key 'keep_rolback' (did you mean 'keep_rollback'?)") == true)
    }

    @Test("wrong types say what was expected")
    func wrongTypes() {
        #expect(error("database:\n  backup: sometimes\n")?.description == "deploy.yml:2:11: error: database.backup: expected true or false, found 'sometimes'")
        #expect(error("steps: migrate\n")?.description == "deploy.yml:1:8: error: expected a list of steps, found 'migrate'")
        #expect(error("database:\n  keep_backups: 0\n")?.line == 2)
        #expect(error("- a\n- b\n")?.message.contains("expected a mapping") == true)
    }

    @Test("malformed YAML and duplicate keys are located")
    func malformed() {
        let bad = error("app: x\ndatabase:\n  path: [unclosed\n")
        #expect(bad?.message.hasPrefix("malformed YAML") == true)
        #expect((bad?.line ?? 0) >= 3)
        let duplicate = error("app: x\ndatabase:\n  path: a.db\n  path: b.db\n")
        #expect(duplicate?.line == 4)
        #expect(duplicate?.message == "duplicate key 'path'")
    }

    @Test("an empty file is an empty spec")
    func empty() throws {
        #expect(try load("").database == DatabaseSettings())
    }
}
