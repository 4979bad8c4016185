/// Foreign-key violations that were in the database before a migration, counted
/// per child and parent table, so that only the ones a migration adds fail it.
struct ViolationBaseline: CustomStringConvertible {
    private var counts: [Pair: Int] = [:]

    struct Pair: Hashable { var table: String, parent: String }

    init(_ violations: [ForeignKeyViolation]) {
        for v in violations { counts[Pair(table: v.table, parent: v.parent), default: 0] += 1 }
    }

    /// The violations of every table pair that now has more than before.
    func added(in found: [ForeignKeyViolation]) -> [ForeignKeyViolation] {
        let now = ViolationBaseline(found)
        return found.filter { v in
            let pair = Pair(table: v.table, parent: v.parent)
            return now.counts[pair, default: 0] > counts[pair, default: 0]
        }
    }

    var description: String {
        let total = counts.values.reduce(0, +)
        let pairs = counts.keys.map { "\($0.table) → \($0.parent)" }.sorted().joined(separator: ", ")
        return "\(total) foreign key violation\(total == 1 ? "" : "s") (\(pairs)) existed before this migration; "
            + "they are not counted against it (see PRAGMA foreign_key_check)"
    }
}
