import Testing
@testable import MigrationCore

private func file(_ name: String, _ sql: String = "SELECT 1;") -> MigrationFile {
    MigrationFile(filename: name, path: "m/" + name, bytes: Array(sql.utf8))
}

@Suite("Validator and Inventory")
struct ValidatorTests {
    @Test("states: applied, pending, modified, missing, adopted")
    func states() throws {
        let a = file("001_a.sql"), b = file("002_b.sql"), c = file("003_c.sql"), d = file("004_d.sql")
        let rows = [
            AppliedMigration(filename: "001_a.sql", appliedAt: 1, checksum: a.checksum),
            AppliedMigration(filename: "002_b.sql", appliedAt: 1, checksum: "0000"),
            AppliedMigration(filename: "003_c.sql", appliedAt: 1, checksum: nil),
            AppliedMigration(filename: "000_gone.sql", appliedAt: 1, checksum: "x"),
        ]
        let inventory = Inventory(files: [a, b, c, d], rows: rows)
        #expect(inventory.entries.map(\.state) == [.applied, .modified, .adopted, .pending, .missing])
        #expect(inventory.pending.map(\.filename) == ["004_d.sql"])
    }

    @Test("modified, missing and duplicate numbers are errors; gaps and unnumbered names warnings")
    func findings() throws {
        let a = file("001_a.sql")
        let files = [a, file("001_dup.sql"), file("002_b.sql"), file("005_e.sql"), file("seed.sql")]
        let rows = [
            AppliedMigration(filename: "001_a.sql", appliedAt: 1, checksum: "changed"),
            AppliedMigration(filename: "003_gone.sql", appliedAt: 1, checksum: "x"),
        ]
        let found = Validator(files: files, rows: rows).findings()
        let errors = found.filter { $0.severity == .error }
        let warnings = found.filter { $0.severity == .warning }
        #expect(errors.count == 3)
        #expect(errors.contains { $0.filename == "001_a.sql" && $0.message.contains("changed after it was applied") })
        #expect(errors.contains { $0.filename == "003_gone.sql" && $0.message.contains("file is gone") })
        #expect(errors.contains { $0.filename == "001_a.sql, 001_dup.sql" })
        #expect(warnings.contains { $0.filename == "005_e.sql" && $0.message.contains("3–4") })
        #expect(warnings.contains { $0.filename == "seed.sql" })
    }

    @Test("a file with bad section markers is an error finding with its line")
    func badMarkers() {
        let found = Validator(files: [file("001_a.sql", "-- migrate:up\n-- migrate:up\n")], rows: []).findings()
        #expect(found.count == 1)
        #expect(found.first?.message.contains("m/001_a.sql:2:1: error: a second '-- migrate:up' marker") == true)
    }

    @Test("timestamp-numbered files (dbmate style) have no gap warnings")
    func timestamps() throws {
        let files = [file("20240101120000_a.sql"), file("20240305090000_b.sql")]
        #expect(Validator(files: files, rows: []).findings().isEmpty)
    }
}
