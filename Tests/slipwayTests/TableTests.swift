import Testing
@testable import slipway

@Suite("Table: aligned columns for status, history and deploy summaries")
struct TableTests {
    @Test("each column is as wide as its widest cell plus the gap; the last is not padded")
    func aligned() {
        var table = Table(header: ["STATE", "FILE", "TIME"])
        table.rows = [["applied", "001_a.sql", "3 ms"], ["PENDING", "002_long_name.sql", "-"]]
        #expect(table.lines() == [
            "STATE    FILE               TIME",
            "applied  001_a.sql          3 ms",
            "PENDING  002_long_name.sql  -",
        ])
    }

    @Test("colour is added after padding, so escape codes do not shift the columns; indent and gap apply to every line")
    func paintedAndIndented() {
        var table = Table(header: ["#", "STEP"], indent: "  ", gap: 1)
        table.rows = [["1", "build"], ["10", "start"]]
        let lines = table.lines { row, column, cell in column == 0 ? "<\(cell)>" : cell }
        #expect(lines == ["  #  STEP", "  <1  >build", "  <10 >start"])
    }
}
