import SQLiteKit

/// The SQL of a migration file, split into dbmate-style sections.
///
/// A file without markers is all "up". With markers, `-- migrate:up` starts the
/// up section and `-- migrate:down` the down section; `-- migrate:up
/// transaction:false` runs the up section outside a transaction (for VACUUM or
/// `PRAGMA journal_mode`). Text before the first marker is ignored, as in dbmate.
public struct MigrationSource: Sendable, Equatable {
    public struct Section: Sendable, Equatable, Codable {
        public var sql: String
        /// 1-based line in the file where `sql` begins, so errors point into the file.
        public var firstLine: Int

        /// Whether it holds a statement, as SQLite splits it (not only comments and blank lines).
        public var hasStatements: Bool { !SQLScript(sql).statementRanges().isEmpty }

        /// nil for a section without a statement: an empty `-- migrate:down` (as `slipway new`
        /// writes it) means "generate the reverse", never "undo nothing".
        var ifStatements: Section? { hasStatements ? self : nil }
    }

    public var up: Section
    public var down: Section?
    public var transactional: Bool

    public init(parsing text: String, file: String) throws(MigrationError) {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }  // a UTF-8 BOM would be a syntax error
        // Lines are cut at "\n" bytes (a Swift Character joins "\r\n"), and sections are
        // slices of the original text, so string literals keep their exact bytes.
        let utf8 = body.utf8
        var lineStarts = [utf8.startIndex]
        for i in utf8.indices where utf8[i] == 0x0A { lineStarts.append(utf8.index(after: i)) }
        func line(_ n: Int) -> Substring {
            let end = n + 1 < lineStarts.count ? utf8.index(before: lineStarts[n + 1]) : utf8.endIndex
            return Substring(body.utf8[lineStarts[n]..<end])
        }
        var upStart: Int?, downStart: Int?
        var transactional = true
        for index in lineStarts.indices {
            guard let marker = Self.marker(in: line(index)) else { continue }
            let location = SourceLocation(file: file, line: index + 1, column: 1)
            switch marker.kind {
            case "up":
                guard upStart == nil else { throw .invalidMigration(location, "a second '-- migrate:up' marker") }
                guard downStart == nil else { throw .invalidMigration(location, "'-- migrate:up' must come before '-- migrate:down'") }
                upStart = index
                for option in marker.options {
                    switch option {
                    case "transaction:false": transactional = false
                    case "transaction:true": transactional = true
                    default: throw .invalidMigration(location, "unknown option '\(option)' (expected transaction:false)")
                    }
                }
            case "down":
                guard downStart == nil else { throw .invalidMigration(location, "a second '-- migrate:down' marker") }
                guard upStart != nil else { throw .invalidMigration(location, "a '-- migrate:down' section without '-- migrate:up' before it") }
                downStart = index
            default:
                throw .invalidMigration(location, "unknown marker 'migrate:\(marker.kind)' (expected migrate:up or migrate:down)")
            }
        }
        /// Lines `from..<to` as one slice of the original text.
        func section(_ from: Int, _ to: Int) -> Section {
            guard from < lineStarts.count else { return Section(sql: "", firstLine: from + 1) }
            let end = to < lineStarts.count ? lineStarts[to] : utf8.endIndex
            return Section(sql: String(Substring(utf8[lineStarts[from]..<end])), firstLine: from + 1)
        }
        if let upStart {
            up = section(upStart + 1, downStart ?? lineStarts.count)
            down = downStart.flatMap { section($0 + 1, lineStarts.count).ifStatements }
        } else {
            up = section(0, lineStarts.count)
            down = nil
        }
        self.transactional = transactional
    }

    /// `-- migrate:KIND opt…`, tolerant of spaces and a trailing `\r`.
    static func marker(in line: Substring) -> (kind: String, options: [String])? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("--") else { return nil }
        let rest = trimmed.dropFirst(2).drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("migrate:") else { return nil }
        let words = rest.dropFirst("migrate:".count).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard let kind = words.first else { return nil }
        return (String(kind), words.dropFirst().map(String.init))
    }
}
