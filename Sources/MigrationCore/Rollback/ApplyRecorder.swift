import Crypto
import SQLiteKit

/// Records, while one migration runs inside its transaction, what its rollback
/// will need (https://sqlite.org/sessionintro.html for the changeset part).
///
/// - Rows of tables with a primary key: a session changeset, inverted at rollback.
/// - What a session cannot see (a dropped table, a dropped column, a table
///   without a primary key, a table altered after it was changed): a copy of the
///   table as it was before the migration, taken before the statement runs.
///   When the table was already changed earlier in the same migration, that
///   copy would be too late: the migration is rolled back and run again with
///   the copy taken first (`restart`).
/// - Nothing for an UPDATE that only sets columns this migration added: the
///   reverse drops those columns, so their old values never matter (the session
///   is paused for it, and such columns are left out of the changeset's UPDATEs).
/// - The schema objects the migration changed, before and after.
/// - Digests of what rollback would drop or overwrite, to tell later changes apart.
final class ApplyRecorder {
    enum Mode: Equatable {
        case session(limit: Int64)
        /// The session outgrew its limit and the migration only updates columns of
        /// existing tables: a copy of `rowid` and each updated column, taken before
        /// the first statement that updates it, is the data reverse.
        case columns
        /// The session outgrew its limit: the database before the migration is in a file.
        case backup(path: String)
    }
    enum Restart: Equatable {
        case snapshotFirst(Set<String>)
        case overflow
        /// `.columns` met a write it cannot reverse from column copies: run behind a backup.
        case needsBackup
        /// A table recorded as a rowid range met another write (see `ApplyRecorder+Ranges`): the session records it.
        case withoutRange(Set<String>)
    }

    let db: Connection
    let filename: String
    let trackingTable: String
    let mode: Mode
    let facts: TableFacts
    /// `Session.seesAddedColumnDefaults`, or what a test forces it to be.
    let seesAddedColumnDefaults: Bool
    var restart: Restart?
    private var session: Session?
    private var snapshots: [String: RollbackRecord.Snapshot] = [:]
    /// Tables changed so far in this migration (rows or schema), by their names before it.
    private var touched: Set<String> = []
    /// Tables whose row changes the session has recorded so far.
    private(set) var recordedRows: Set<String> = []
    /// Tables (names before) whose rows this migration only inserts: a rowid range each, no session.
    var ranges: [String: RangeStart] = [:]
    /// Tables the session records from the start (their range met another write).
    let noRanges: Set<String>
    /// The statement running now, when it inserts into range tables.
    var insertCheck: InsertCheck?
    /// Ranges started by the statement about to run (`willCheckInserts` needs no count for them).
    var startedHere: Set<String> = []
    /// Ranges that a statement's check found holding fewer rows than it inserted.
    var rangesFailed: Set<String> = []
    var created: Set<String> = []
    private var written: Set<String> = []
    /// Tables renamed by this migration: new name → name before the migration.
    private(set) var originalName: [String: String] = [:]
    private let schema: SchemaWatch
    private(set) var columnsBefore: [String: [String]] = [:]
    /// Tables that had a column renamed here: a new name there is not an added column.
    private(set) var renamedColumns: Set<String> = []
    /// Columns (lowercased) that statements of this migration may have set, by table name before it.
    private(set) var setColumns: [String: Set<String>] = [:]
    /// Tables (names before) that statements inserted into or deleted from. A row deleted and
    /// inserted again (REPLACE, or two statements) is an UPDATE of any column in a changeset.
    private(set) var insertedOrDeleted: Set<String> = []
    /// Some statement may have deleted or replaced rows of a table that existed before.
    private(set) var deletedRows = false
    /// The session is paused for the statement running now (see `onlySetsAddedColumns`), or for
    /// one whose every write is an insert into a range table.
    private var paused = false
    /// `.columns` mode: the copies taken so far, and which columns of which table they hold.
    var columnCopies: [RollbackRecord.ColumnCopy] = []
    var bigTable: [String: Bool] = [:]
    var copiedColumns: [String: Set<String>] = [:]
    /// Tables created by this migration that a statement wrote rows to.
    var insertedInto: Set<String> = []
    /// `sqlite_sequence` as it was before the first write that can move a counter (nil: none yet).
    private(set) var sequence: [(String, SQLiteValue)]?

    init(db: Connection, filename: String, trackingTable: String, mode: Mode, snapshotFirst: Set<String>, noRanges: Set<String>,
         facts: TableFacts, seesAddedColumnDefaults: Bool) throws {
        self.db = db
        self.noRanges = noRanges
        self.facts = facts
        self.seesAddedColumnDefaults = seesAddedColumnDefaults
        self.filename = filename
        self.trackingTable = trackingTable.lowercased()
        self.mode = mode
        self.schema = SchemaWatch(db: db, excluding: trackingTable, facts: facts)
        if case .backup = mode {
        } else {
            for table in snapshotFirst where try isTable(table) { try takeSnapshot(table) }
        }
        if case .session = mode {
            // Asked at a table's first change, under its name at that time (maybe a new name).
            session = try Session(on: db) { [unowned self] name in
                let t = name.lowercased()
                guard !self.isInternal(t), let o = self.original(name) else { return false }
                return self.snapshots[o] == nil && self.ranges[o] == nil
            }
        }
    }

    /// True (and `restart` set) once the session holds more than its limit.
    func checkLimit() -> Bool {
        if case .session(let limit) = mode, let session, session.memoryUsed > limit { restart = .overflow }
        return restart == .overflow
    }

    /// Called after a statement is prepared and before it runs. Returns false
    /// when the migration must run again (see `restart`).
    func willRun(_ events: [AuthorizerEvent], sql: @autoclosure () -> String) throws -> Bool {
        session?.forgetFilterAnswers()
        startedHere.removeAll()
        var alter: AlterStatement?
        try schema.willRun(events, sql: sql()) {
            if alter == nil { alter = AlterStatement(sql: sql()) }
            return alter!
        }
        if mode == .columns { return try copyColumns(events, sql: sql()) }
        if let session, let tables = try onlySetsAddedColumns(events, sql: sql()) {
            session.isEnabled = false
            paused = true
            touched.formUnion(tables)
            written.formUnion(tables)
            return true
        }
        var changedHere: Set<String> = []
        var droppedHere: Set<String> = []
        var rowsHere: Set<String> = []
        let insertsOnly = insertsOnly(events, sql: sql())
        let pure = try onlyInsertsIntoRanges(events, insertsOnly)
        // An UPDATE or DELETE of a table (no view) whose triggers insert into range tables:
        // those inserts are checked by counts of changes, not of the range tables' rows.
        // Asked only at such an insert (it reads the statement's head).
        var updatesOwn: Bool?
        func updatesOwnTable() throws -> Bool {
            if updatesOwn == nil { updatesOwn = try pure == nil && Self.updatedOrDeleted(by: sql()).map(isTable) == true }
            return updatesOwn!
        }
        var checkedHere: [(name: String, original: String)] = []
        for event in events where event.database == nil || event.database == "main" {
            switch event.action {
            case .createTable(let t) where !isInternal(t.lowercased()):
                created.insert(t.lowercased())
            case .dropTable(let t) where !isInternal(t.lowercased()):
                if let o = original(t) {
                    guard try needSnapshot(o) else { return false }
                    changedHere.insert(o)
                }
                droppedHere.insert(t.lowercased())
            case .alterTable(let t) where !isInternal(t.lowercased()):
                let alter = AlterStatement(sql: sql())
                guard let o = original(t) else {
                    followRenameOfCreated(t, alter)
                    continue
                }
                switch alter {
                case .dropColumn, .unknown:
                    guard try needSnapshot(o) else { return false }
                case .addColumn, .renameColumn, .renameTable:
                    if alter == .renameColumn { renamedColumns.insert(o) }
                    // A session keys its changes by table name and column count, so a table it
                    // has seen must not change shape under it: copy that table first instead.
                    if recordedRows.contains(o) && snapshots[o] == nil { guard requestSnapshot(o) else { return false } }
                    if alter == .addColumn, columnsBefore[o] == nil { columnsBefore[o] = try columns(t) }
                    if case .renameTable(let to) = alter {
                        originalName[t.lowercased()] = nil  // a chain of renames keeps only the first and last names
                        originalName[to.lowercased()] = o
                    }
                }
                changedHere.insert(o)
            case .insert(let t), .delete(let t), .update(let t, _):
                let lower = t.lowercased()
                // Only inserts into AUTOINCREMENT tables (or writes to sqlite_sequence itself) move counters.
                if sequence == nil, try lower == "sqlite_sequence" || (!isInternal(lower) && db.hasAutoincrement(t)) {
                    try readSequence()
                }
                guard !isInternal(lower) else { continue }
                if created.contains(lower) {  // rows of a table this migration made: dropped with it
                    insertedInto.insert(lower)
                    continue
                }
                // DROP VIEW is also reported as a DELETE on the view: only tables hold rows.
                guard try isTable(t) else { continue }
                if original(t) == nil { insertedInto.insert(lower) }
                if let o = original(t) {
                    switch event.action {
                    case .update(_, let column): setColumns[o, default: []].insert(column.lowercased())
                    case .delete:
                        deletedRows = true
                        insertedOrDeleted.insert(o)
                    default:
                        if SQLWords.mentions(sql(), "replace") { deletedRows = true }
                        insertedOrDeleted.insert(o)
                    }
                    if event.action != .delete(table: t), try facts.definesReplace(t, on: db) {
                        // Its inverse changeset would run into the same REPLACE: copy the table first instead.
                        guard try needSnapshot(o) else { return false }
                    } else if let range = ranges[o] {
                        // A range must hold only rows the migration inserted, and a statement that writes
                        // other tables too can only be checked by counting the table's rows.
                        guard case .insert = event.action, insertsOnly.contains(lower),
                              try pure != nil || range.rows != nil || updatesOwnTable() else {
                            restart = .withoutRange([o])
                            return false
                        }
                        if try updatesOwnTable() && !checkedHere.contains(where: { $0.original == o }) { checkedHere.append((t, o)) }
                    } else if case .insert = event.action, insertsOnly.contains(lower), try rangeCandidate(t, o),
                              try startRange(t, o, counted: pure == nil && !updatesOwnTable()) {
                        // recorded as a rowid range (ApplyRecorder+Ranges), not by the session
                        if try updatesOwnTable() { checkedHere.append((t, o)) }
                    } else if try !hasPrimaryKey(t) {
                        guard try needSnapshot(o) else { return false }
                    } else if case .update(_, let column) = event.action, try sessionMayMissUpdate(t, o, column) {
                        guard try needSnapshot(o) else { return false }
                    } else if snapshots[o] == nil {
                        if case .update = event.action, try scansHugeTable(t, sql: sql()) {
                            restart = .overflow  // would outgrow the limit: go straight to column copies
                            return false
                        }
                        rowsHere.insert(o)
                    }
                    changedHere.insert(o)
                }
            default:
                break
            }
        }
        touched.formUnion(changedHere)
        written.formUnion(changedHere)
        recordedRows.formUnion(rowsHere)
        if let pure {
            try willCheckInserts(into: pure)
            // Every row it writes goes into a range: the session would only be asked, row by row, to skip them.
            if let session, !paused {
                session.isEnabled = false
                paused = true
            }
        } else if !checkedHere.isEmpty {
            try willCheckInserts(into: checkedHere, topLevelElsewhere: true)
        }
        // Only now: DROP TABLE reports a DELETE on the table after the drop itself.
        for name in droppedHere {
            originalName[name] = nil  // a renamed table that is dropped is no rename to reverse
            created.remove(name)
        }
        return true
    }

    /// Called after a statement ran (or failed): what it may have changed is asked again.
    func didRun(_ events: [AuthorizerEvent], sql: @autoclosure () -> String) {
        checkInserts()
        if paused {
            session?.isEnabled = true
            paused = false
        }
        facts.forget(after: events, sql: sql())
    }

    func hasSnapshot(_ table: String) -> Bool { snapshots[table] != nil }

    /// A table this migration created stays one under its new name: its rollback drops that.
    func followRenameOfCreated(_ table: String, _ alter: AlterStatement) {
        guard case .renameTable(let to) = alter else { return }
        created.remove(table.lowercased())
        created.insert(to.lowercased())
        if insertedInto.remove(table.lowercased()) != nil { insertedInto.insert(to.lowercased()) }
    }

    /// The record to save, once the migration's statements have all run; nil
    /// when the migration must run again (see `restart`).
    func finish(down: MigrationSource.Section?) throws -> RollbackRecord? {
        var record: RollbackRecord
        switch mode {
        case .session:
            record = RollbackRecord(filename: filename, strategy: .generated)
            guard let inserted = try insertedRows() else { return nil }
            record.inserted = inserted
            record.changeset = try recordedChangeset(try session?.changeset() ?? [])
            let doubtful = try doubtfulTables(in: record.changeset)
            if !doubtful.isEmpty {
                restart = .snapshotFirst(doubtful)
                return nil
            }
        case .columns:
            record = RollbackRecord(filename: filename, strategy: .columns)
            record.columnCopies = columnCopies
            // Rollback writes back these columns: changes to them (or to which rows exist) since are found by this.
            for (table, columns) in copiedColumns.sorted(by: { $0.key < $1.key }) {
                let list = columns.sorted()
                record.guards.append(.init(table: table, column: list.joined(separator: "\n"),
                                           digest: try TableDigest.of(table, columns: list, on: db), restores: true))
            }
        case .backup(let path):
            record = RollbackRecord(filename: filename, strategy: .backup)
            record.backupPath = path
            record.written = written
        }
        session = nil
        record.down = down
        record.sequence = try changedSequence()
        record.snapshots = Array(snapshots.values)
        record.renames = originalName.filter { $0.key != $0.value }.map { .init(from: $0.value, to: $0.key) }
        record.before = schema.before.values.sorted { ($0.type, $0.name) < ($1.type, $1.name) }
        // Tables by the name they have now (a created table may have been renamed since).
        record.created = created.sorted().map { .init(type: "table", name: $0) }
            + schema.created.filter { $0.type != "table" }.map { .init(type: $0.type, name: $0.name) }
        // Existence from SQLite's in-memory schema: these tables were made, altered or copied here.
        for table in created.sorted() where try db.hasTable(table) {
            // A table no statement wrote to is empty: its digest needs no query.
            let digest = written.contains(table) || insertedInto.contains(table) ? try TableDigest.of(table, on: db) : TableDigest.empty
            record.guards.append(.init(table: table, column: nil, digest: digest))
        }
        for (table, old) in columnsBefore where try db.hasTable(table) {
            let added = try columns(table).filter { c in !old.contains { $0.lowercased() == c.lowercased() } }
            if !added.isEmpty {
                let byValue = try TableDigest.servedByIndex(table, columns: added, on: db)
                record.guards.append(.init(table: table, column: added.joined(separator: "\n"),
                                           digest: try TableDigest.of(table, columns: added, byValue: byValue, on: db),
                                           byValue: byValue ? true : nil))
            }
        }
        let restored = record.strategy == .backup ? written : Set(snapshots.keys)
        for table in restored where try db.hasTable(table) {
            record.guards.append(.init(table: table, column: nil, digest: try TableDigest.of(table, on: db)))
        }
        return record
    }

    /// The `sqlite_sequence` rows this migration changed, as they were before
    /// (a nil counter: the row did not exist). Rollback puts back only these.
    /// Only writes to AUTOINCREMENT tables move counters, so this is read before the first one.
    func readSequence() throws {
        sequence = try sequenceRows()
    }

    /// `sqlite_sequence`, empty when no table has AUTOINCREMENT yet. (The tracking
    /// table usually has it, so the table is nearly always there: one statement.)
    private func sequenceRows() throws -> [(String, SQLiteValue)] {
        do {
            return try db.cached("SELECT name, seq FROM sqlite_sequence").rows().map { ($0[0].string ?? "", $0[1]) }
        } catch {
            if try schema.tableType("sqlite_sequence") == nil { return [] }
            throw error
        }
    }

    private func changedSequence() throws -> [RollbackRecord.SequenceRow] {
        guard let sequence else { return [] }
        // Compared under the names from before the migration; counters of tables it created go with them.
        var now: [String: SQLiteValue] = [:]
        for (name, seq) in try sequenceRows() { if let o = original(name) { now[o] = seq } }
        var changed: [RollbackRecord.SequenceRow] = []
        for (name, seq) in sequence where now[name.lowercased()] != seq { changed.append(.init(name: name, seq: seq.int)) }
        for name in now.keys.sorted() where !sequence.contains(where: { $0.0.lowercased() == name }) { changed.append(.init(name: name, seq: nil)) }
        return changed
    }

    /// The table's name before this migration, or nil for one the migration created.
    func original(_ name: String) -> String? {
        let lower = name.lowercased()
        if let o = originalName[lower] { return o }
        return created.contains(lower) ? nil : lower
    }

    func isInternal(_ lower: String) -> Bool { !SchemaObject.isUsers(lowercased: lower, excludingLowercased: trackingTable) }

    private func needSnapshot(_ table: String) throws -> Bool {
        if case .backup = mode { return true }
        if snapshots[table] != nil { return true }
        if touched.contains(table) { return requestSnapshot(table) }
        try takeSnapshot(table)
        return true
    }

    private func requestSnapshot(_ table: String) -> Bool {
        if case .backup = mode { return true }
        restart = .snapshotFirst([table])
        return false
    }

    func shortHash(_ text: String) -> String {
        TableDigest.hex(SHA256.hash(data: Array(text.utf8)).prefix(8))
    }

    /// Copies the table as it is now into `_slipway_snap_…` (rowids kept).
    private func takeSnapshot(_ table: String) throws {
        let name = "_slipway_snap_" + shortHash(filename + "\u{0}" + table)
        let hasRowid = try facts.of(table, on: db).hasRowid
        try db.execute("DROP TABLE IF EXISTS \(SQLIdentifier.quote(name))")
        try db.execute("CREATE TABLE \(SQLIdentifier.quote(name)) AS SELECT \(hasRowid ? "rowid AS _slipway_rowid, " : "")* FROM \(SQLIdentifier.quote(table))")
        snapshots[table] = .init(table: table, snapshot: name, hasRowid: hasRowid)
    }

    func isTable(_ name: String) throws -> Bool { try facts.of(name, on: db).type == "table" }

    private func hasPrimaryKey(_ table: String) throws -> Bool { try facts.hasPrimaryKey(table, on: db) }

    /// On a SQLite whose session reads NULL for a column `ADD COLUMN … DEFAULT x` added
    /// after a row was stored, an UPDATE setting such a column to NULL looks like no
    /// change and is never recorded. A nullable column with a constant default that an
    /// earlier migration may have added is therefore copied with its table first.
    private func sessionMayMissUpdate(_ table: String, _ original: String, _ column: String) throws -> Bool {
        guard !seesAddedColumnDefaults, snapshots[original] == nil else { return false }
        let lower = column.lowercased()
        // A column this migration added is dropped by its reverse: its values never matter.
        if let before = columnsBefore[original], !before.contains(where: { $0.lowercased() == lower }) { return false }
        return try facts.ordinaryColumns(table, on: db).contains { !$0.notNull && $0.hasConstantDefault && $0.lowercasedName == lower }
    }

    func columns(_ table: String) throws -> [String] {
        try facts.ordinaryColumns(table, on: db).map(\.name)
    }
}
