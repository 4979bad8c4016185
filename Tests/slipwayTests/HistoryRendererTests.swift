import Testing
@testable import slipway

@Suite("history's migrations column: shortened to fit, never wrong")
struct HistoryRendererTests {
    let three = ["004_a.sql", "005_b.sql", "006_c.sql"]

    @Test("the whole list when it fits, else first and last, else the count")
    func shortened() {
        #expect(DeployRenderer.migrationList([], fitting: 40) == "-")
        #expect(DeployRenderer.migrationList(["001_init.sql"], fitting: 40) == "1 migration: 001_init.sql")
        #expect(DeployRenderer.migrationList(["001_init.sql"], fitting: 20) == "001_init.sql")
        #expect(DeployRenderer.migrationList(["001_init.sql"], fitting: 10) == "1 migration")
        #expect(DeployRenderer.migrationList(three, fitting: 50) == "3 migrations: 004_a.sql, 005_b.sql, 006_c.sql")
        #expect(DeployRenderer.migrationList(three, fitting: 40) == "3 migrations: 004_a.sql … 006_c.sql")
        #expect(DeployRenderer.migrationList(three, fitting: 20) == "3 migrations")
    }
}
