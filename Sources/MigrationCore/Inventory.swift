/// Files and tracking rows side by side: what `status`, `validate` and `migrate` decide from.
public struct Inventory: Sendable, Equatable {
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// Recorded, and the file still has the recorded checksum.
        case applied
        /// No row with this filename.
        case pending
        /// Recorded, but the file changed since: reported, never re-run.
        case modified
        /// Recorded, but the file is gone.
        case missing
        /// Recorded by another tool without a checksum (the sql.js runner): taken as applied.
        case adopted
    }

    public struct Entry: Sendable, Equatable {
        public var filename: String
        public var state: State
        public var file: MigrationFile?
        public var row: AppliedMigration?
    }

    /// Files in order, then rows whose file is missing, in applied order.
    public var entries: [Entry]

    public init(files: [MigrationFile], rows: [AppliedMigration]) {
        var byName: [String: AppliedMigration] = [:]
        for row in rows { byName[row.filename] = row }
        var entries: [Entry] = []
        entries.reserveCapacity(files.count)
        var seen = Set<String>()
        for file in files {
            seen.insert(file.filename)
            let state: State
            if let row = byName[file.filename] {
                if let recorded = row.checksum {
                    state = recorded == file.checksum ? .applied : .modified
                } else {
                    state = .adopted
                }
            } else {
                state = .pending
            }
            entries.append(Entry(filename: file.filename, state: state, file: file, row: byName[file.filename]))
        }
        for row in rows where !seen.contains(row.filename) {
            entries.append(Entry(filename: row.filename, state: .missing, file: nil, row: row))
        }
        self.entries = entries
    }

    public var pending: [MigrationFile] { entries.compactMap { $0.state == .pending ? $0.file : nil } }

    public func count(_ state: State) -> Int { entries.reduce(0) { $0 + ($1.state == state ? 1 : 0) } }
}
