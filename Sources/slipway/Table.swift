/// Rows in aligned columns, each as wide as its widest cell, the last one unpadded:
/// the one table layout of `status`, `history`, a deploy's summary and a fleet's.
struct Table {
    var header: [String]
    var rows: [[String]] = []
    /// Before every line (a deploy's summary is indented under its steps).
    var indent = ""
    /// Spaces between columns.
    var gap = 2

    /// Each column's width: its widest cell.
    var widths: [Int] { header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) } }

    /// The header and the rows as lines; `paint` colours a body cell (row, column) after
    /// it is padded, so escape codes never count toward a column's width.
    func lines(paint: (_ row: Int, _ column: Int, _ padded: String) -> String = { _, _, cell in cell }) -> [String] {
        let widths = widths
        func line(_ cells: [String], _ row: Int?) -> String {
            let padded = cells.indices.map { i in
                let cell = i == cells.count - 1 ? cells[i] : cells[i] + String(repeating: " ", count: widths[i] - cells[i].count + gap)
                return row.map { paint($0, i, cell) } ?? cell
            }
            return indent + padded.joined()
        }
        return [line(header, nil)] + rows.indices.map { line(rows[$0], $0) }
    }
}
