/// What rollback needs for one applied migration.
struct RollbackRecord {
    /// `nothing`: a `transaction:false` migration that changed no schema object and no row
    /// (VACUUM, ANALYZE…, `NoOpMaintenance`): its reverse has no step.
    enum Strategy: String, Codable { case generated, backup, columns, nothing = "nothing to undo" }
    struct Snapshot: Codable { var table: String, snapshot: String, hasRowid: Bool }
    /// A digest taken right after the migration: rollback compares it to find changes made since.
    struct Guard: Codable {
        var table: String, column: String?, digest: String
        /// Rollback writes these columns back (rather than dropping columns the migration added).
        var restores: Bool? = nil
        /// The digest reads rows ordered by these columns, then rowid, which an index
        /// on them serves without reading the table (`TableDigest.servedByIndex`); nil: rowid order.
        var byValue: Bool? = nil
    }
    /// `rowid` and some columns of a table, copied before the migration updated them.
    struct ColumnCopy: Codable { var table: String, copy: String, columns: [String] }
    struct Rename: Codable { var from: String, to: String }
    struct Created: Codable { var type: String, name: String }
    struct SequenceRow: Codable { var name: String, seq: Int64? }
    /// Rows the migration inserted into a table that existed before, and did nothing
    /// else to: those whose rowid (an INTEGER PRIMARY KEY, so VACUUM keeps it) is
    /// after `after` (nil: every row) and up to `through`. Rollback deletes them,
    /// once their digest shows them as the migration left them.
    struct InsertedRows: Codable, Equatable {
        var table: String, after: Int64?, through: Int64, rows: Int64, digest: String
    }
    /// The marker `RollbackRetention` leaves in place of the data it dropped: the
    /// record stays (the row must not change shape), so rollback can say why it cannot undo it.
    struct Pruned: Codable, Equatable { var keep: Int }

    var filename: String
    var strategy: Strategy
    var down: MigrationSource.Section?
    var changeset: [UInt8] = []
    /// Tables the session left out because the migration only inserted into them.
    var inserted: [InsertedRows] = []
    var backupPath: String?
    var written: Set<String> = []
    /// Schema objects the migration changed or dropped, as they were before it.
    var before: [SchemaObject] = []
    /// Schema objects the migration created (rollback drops them).
    var created: [Created] = []
    var snapshots: [Snapshot] = []
    var columnCopies: [ColumnCopy] = []
    /// Tables the migration renamed (by ALTER TABLE … RENAME TO), by their names before and after.
    var renames: [Rename] = []
    var guards: [Guard] = []
    /// `sqlite_sequence` before the migration (AUTOINCREMENT counters).
    var sequence: [SequenceRow] = []
    /// Set once the data was dropped; only `down` is kept beside it.
    var pruned: Pruned?

    init(filename: String, strategy: Strategy) {
        self.filename = filename
        self.strategy = strategy
    }

    /// Nothing beyond the changeset: the JSON of such a record is `{}`.
    var isPlain: Bool {
        strategy == .generated && down == nil && backupPath == nil && inserted.isEmpty && written.isEmpty && before.isEmpty && created.isEmpty
            && snapshots.isEmpty && columnCopies.isEmpty && renames.isEmpty && guards.isEmpty && sequence.isEmpty && pruned == nil
    }

    /// What is left once the data is dropped: the marker, and the down section recorded at apply time.
    func prunedCopy(keep: Int) -> RollbackRecord {
        var record = RollbackRecord(filename: filename, strategy: .generated)
        record.down = down
        record.pruned = Pruned(keep: keep)
        return record
    }
}

/// JSON without the empty fields (most of them, for most migrations): a record
/// is written inside every migration's transaction, so its size is paid there.
/// The filename is the row's; the strategy is left out when it is `generated`.
extension RollbackRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case filename, strategy, down, backupPath, written, before, created, snapshots, columnCopies, renames, guards, sequence, pruned, inserted
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        filename = try c.decodeIfPresent(String.self, forKey: .filename) ?? ""
        strategy = try c.decodeIfPresent(Strategy.self, forKey: .strategy) ?? .generated
        // Recorded before an empty down section meant "generate": it is read as none.
        down = try c.decodeIfPresent(MigrationSource.Section.self, forKey: .down)?.ifStatements
        backupPath = try c.decodeIfPresent(String.self, forKey: .backupPath)
        written = try c.decodeIfPresent(Set<String>.self, forKey: .written) ?? []
        before = try c.decodeIfPresent([SchemaObject].self, forKey: .before) ?? []
        created = try c.decodeIfPresent([Created].self, forKey: .created) ?? []
        snapshots = try c.decodeIfPresent([Snapshot].self, forKey: .snapshots) ?? []
        columnCopies = try c.decodeIfPresent([ColumnCopy].self, forKey: .columnCopies) ?? []
        renames = try c.decodeIfPresent([Rename].self, forKey: .renames) ?? []
        guards = try c.decodeIfPresent([Guard].self, forKey: .guards) ?? []
        sequence = try c.decodeIfPresent([SequenceRow].self, forKey: .sequence) ?? []
        pruned = try c.decodeIfPresent(Pruned.self, forKey: .pruned)
        inserted = try c.decodeIfPresent([InsertedRows].self, forKey: .inserted) ?? []
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if strategy != .generated { try c.encode(strategy, forKey: .strategy) }
        try c.encodeIfPresent(down, forKey: .down)
        try c.encodeIfPresent(backupPath, forKey: .backupPath)
        try c.encodeUnlessEmpty(written.sorted(), forKey: .written)
        try c.encodeUnlessEmpty(before, forKey: .before)
        try c.encodeUnlessEmpty(created, forKey: .created)
        try c.encodeUnlessEmpty(snapshots, forKey: .snapshots)
        try c.encodeUnlessEmpty(columnCopies, forKey: .columnCopies)
        try c.encodeUnlessEmpty(renames, forKey: .renames)
        try c.encodeUnlessEmpty(guards, forKey: .guards)
        try c.encodeUnlessEmpty(sequence, forKey: .sequence)
        try c.encodeIfPresent(pruned, forKey: .pruned)
        try c.encodeUnlessEmpty(inserted, forKey: .inserted)
    }
}

private extension KeyedEncodingContainer {
    mutating func encodeUnlessEmpty<T: Encodable & Collection>(_ value: T, forKey key: Key) throws {
        if !value.isEmpty { try encode(value, forKey: key) }
    }
}
