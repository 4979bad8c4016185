/// sqitch's `requires` for plain SQL files: a migration names the ones it needs in
/// its header, `-- requires: 004_create_orders` (several per line or several lines;
/// a filename with or without `.sql`, or its number). The header is an SQL comment,
/// so the file still runs anywhere else.
///
/// Files apply in name order, so a prerequisite must sort before the file that needs
/// it, exist (as a file or an applied row), and be applied whenever that file is.
public struct MigrationPrerequisites: Sendable {
    public var files: [MigrationFile]
    public var rows: [AppliedMigration]

    public init(files: [MigrationFile], rows: [AppliedMigration]) {
        self.files = files
        self.rows = rows
    }

    /// A `-- requires:` name, where it is written.
    public struct Requirement: Sendable, Equatable {
        public var name: String
        public var line: Int
        public var column: Int
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable { case unknown, ordered, notApplied }
        public var kind: Kind
        /// The file whose header names the prerequisite.
        public var filename: String
        public var location: SourceLocation
        public var message: String

        public var description: String { "\(location): error: \(message)" }
    }

    /// Every problem of every file's header, in file order.
    public func problems() -> [Problem] {
        let applied = Set(rows.map(\.filename))
        var found: [Problem] = []
        for file in files {
            for requirement in Self.requirements(of: file) {
                let at = SourceLocation(file: file.path, line: requirement.line, column: requirement.column)
                guard let prerequisite = resolve(requirement.name) else {
                    found.append(Problem(kind: .unknown, filename: file.filename, location: at,
                                         message: "requires '\(requirement.name)', which is neither a file in the migrations folder nor an applied migration"))
                    continue
                }
                if !prerequisite.utf8.lexicographicallyPrecedes(file.filename.utf8) {
                    found.append(Problem(kind: .ordered, filename: file.filename, location: at, message: prerequisite == file.filename
                        ? "requires itself"
                        : "requires \(prerequisite), which sorts after it: migrate applies files in name order; renumber one of them"))
                } else if applied.contains(file.filename) && !applied.contains(prerequisite) {
                    found.append(Problem(kind: .notApplied, filename: file.filename, location: at,
                                         message: "is applied but its prerequisite \(prerequisite) is not (rolled back or reset): "
                                             + "roll \(file.filename) back too, or apply \(prerequisite) with --allow-out-of-order"))
                }
            }
        }
        return found
    }

    /// The applied migrations whose header requires `filename`, directly or through
    /// another, newest first: what must be undone before it.
    public func appliedDependents(of filename: String) -> [String] {
        let applied = rows.map(\.filename)
        var needed: Set<String> = [filename]
        var result: [String] = []
        // Dependents sort after what they need: one pass in name order finds chains too.
        for file in files.sorted(by: { $0.filename.utf8.lexicographicallyPrecedes($1.filename.utf8) })
        where applied.contains(file.filename) && !needed.contains(file.filename) {
            if Self.requirements(of: file).contains(where: { resolve($0.name).map(needed.contains) == true }) {
                needed.insert(file.filename)
                result.append(file.filename)
            }
        }
        return applied.reversed().filter(result.contains)
    }

    /// The filename a requirement names: exact, without `.sql`, or by number when one file has it.
    func resolve(_ name: String) -> String? {
        MigrationLookup.resolve(name, among: files.map(\.filename) + rows.map(\.filename))
    }

    /// The `-- requires:` names of a file's header: the comment and blank lines before
    /// its first statement (`-- migrate:up` is one of them).
    public static func requirements(of file: MigrationFile) -> [Requirement] {
        var found: [Requirement] = []
        var line = 0
        var start = file.bytes.startIndex
        // Line by line up to the first statement only: a big data migration is not read whole.
        while start < file.bytes.endIndex {
            let end = file.bytes[start...].firstIndex(of: 0x0A) ?? file.bytes.endIndex
            defer { start = end < file.bytes.endIndex ? end + 1 : end }
            line += 1
            let text = String(decoding: file.bytes[start..<end], as: UTF8.self)
            let content = text.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
            if content.isEmpty || content == "\r" { continue }
            guard content.hasPrefix("--") else { break }
            let comment = content.dropFirst(2).drop { $0 == " " || $0 == "\t" }
            guard comment.hasPrefix("requires:") else { continue }
            var rest = comment.dropFirst("requires:".count)
            while let start = rest.firstIndex(where: { !($0 == " " || $0 == "\t" || $0 == "," || $0 == "\r") }) {
                let end = rest[start...].firstIndex { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" } ?? rest.endIndex
                found.append(Requirement(name: String(rest[start..<end]), line: line,
                                         column: text.distance(from: text.startIndex, to: start) + 1))
                rest = rest[end...]
            }
        }
        return found
    }
}
