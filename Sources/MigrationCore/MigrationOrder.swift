/// The order rule of `migrate` (Flyway's `outOfOrder` off, dbmate's `--strict`): a fresh
/// database and an old one must apply the same files in the same order. So a pending file
/// that sorts below the newest applied one, and two files sharing a number of which one
/// is pending, are refused unless the user allows it (`--allow-out-of-order`,
/// `database.out_of_order: true`).
public struct MigrationOrder: Sendable {
    public var files: [MigrationFile]
    public var rows: [AppliedMigration]

    public init(files: [MigrationFile], rows: [AppliedMigration]) {
        self.files = files
        self.rows = rows
    }

    /// One sentence per problem with `pending` (empty when the order is sound).
    public func problems(pending: [MigrationFile]) -> [String] {
        guard !pending.isEmpty else { return [] }  // a no-op run pays nothing for it
        var problems: [String] = []
        let pendingNames = Set(pending.map(\.filename))
        if let newest = rows.map(\.filename).max(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            for file in pending where file.filename.utf8.lexicographicallyPrecedes(newest.utf8) {
                problems.append("\(file.filename) is pending but sorts before \(newest), which is already applied: a new database would apply it earlier than this one; renumber it to sort after \(newest)")
            }
        }
        var byNumber: [UInt64: [String]] = [:]
        for file in files { if let n = file.numericValue { byNumber[n, default: []].append(file.filename) } }
        for (number, names) in byNumber.sorted(by: { $0.key < $1.key }) where names.count > 1 && names.contains(where: pendingNames.contains) {
            problems.append("\(names.joined(separator: " and ")) share the number \(number): which runs first depends on the rest of their names; renumber the pending one")
        }
        return problems
    }
}
