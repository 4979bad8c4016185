/// One thing `validate` found.
public struct ValidationFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    public var filename: String
    public var message: String

    public var description: String { "\(severity): \(filename): \(message)" }
}

/// Checks that the folder and the tracking table agree and that the files are
/// well numbered. Modified or missing files and duplicate numbers are errors;
/// gaps and unnumbered names are warnings (the seed's README asks for numbers
/// without gaps, but a gap breaks nothing).
public struct Validator: Sendable {
    public var inventory: Inventory
    public var files: [MigrationFile]

    public init(files: [MigrationFile], rows: [AppliedMigration]) {
        self.files = files
        self.inventory = Inventory(files: files, rows: rows)
    }

    /// `allowModified`: leave drift out (`--allow-modified`: the run goes on over it).
    public func findings(allowModified: Bool = false) -> [ValidationFinding] {
        var found: [ValidationFinding] = []
        for entry in inventory.entries {
            switch entry.state {
            case .modified where !allowModified:
                found.append(.init(severity: .error, filename: entry.filename,
                                   message: "changed after it was applied (checksum \(Self.short(entry.row?.checksum)) recorded, \(Self.short(entry.file?.checksum)) now); "
                                       + "restore it and put the change in a new migration, or accept an intended edit with `slipway repair \(entry.filename)`"))
            case .missing:
                found.append(.init(severity: .error, filename: entry.filename,
                                   message: "recorded as applied but the file is gone; restore it from version control"))
            default:
                break
            }
        }
        for problem in MigrationPrerequisites(files: files, rows: inventory.entries.compactMap(\.row)).problems() {
            found.append(.init(severity: .error, filename: problem.filename,
                               message: "line \(problem.location.line): \(problem.message)"))
        }
        let adopted = inventory.entries.filter { $0.state == .adopted && $0.file != nil }.map(\.filename)
        if !adopted.isEmpty {
            found.append(.init(severity: .warning, filename: adopted.count == 1 ? adopted[0] : "\(adopted.count) adopted files",
                               message: "applied by another tool, with no checksum: an edit would go unnoticed; "
                                   + "`slipway baseline` records \(adopted.count == 1 ? "its checksum" : "their checksums")"))
        }
        for file in files {
            do {
                _ = try file.parse()
            } catch {
                found.append(.init(severity: .error, filename: file.filename, message: error.description))
            }
        }
        var byNumber: [UInt64: [String]] = [:]
        for file in files {
            guard let value = file.numericValue else {
                found.append(.init(severity: .warning, filename: file.filename,
                                   message: "has no number prefix; it runs in name order after the numbered files"))
                continue
            }
            byNumber[value, default: []].append(file.filename)
        }
        for (number, names) in byNumber.sorted(by: { $0.key < $1.key }) where names.count > 1 {
            found.append(.init(severity: .error, filename: names.joined(separator: ", "),
                               message: "share the number \(number); renumber all but one that is already applied"))
        }
        found += gaps(in: byNumber.keys.sorted())
        return found
    }

    /// Timestamps (dbmate's default names) have gaps by nature and are not reported.
    private func gaps(in numbers: [UInt64]) -> [ValidationFinding] {
        guard let last = numbers.last, last < 10_000_000 else { return [] }
        var found: [ValidationFinding] = []
        for (a, b) in zip(numbers, numbers.dropFirst()) where b > a + 1 {
            let missing = b - a == 2 ? "\(a + 1)" : "\(a + 1)–\(b - 1)"
            let name = files.first { $0.numericValue == b }?.filename ?? "\(b)"
            found.append(.init(severity: .warning, filename: name, message: "gap in numbering: no migration numbered \(missing)"))
        }
        return found
    }

    static func short(_ checksum: String?) -> String { checksum.map { String($0.prefix(12)) } ?? "none" }
}
