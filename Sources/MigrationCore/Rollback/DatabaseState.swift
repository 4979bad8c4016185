import SQLiteKit

/// The user-visible state of a database: its normalized schema and a digest of
/// each table's rows. Rehearsal compares these before and after a round trip.
public struct DatabaseState: Sendable, Equatable {
    public var schema: String
    public var tables: [String: String]

    public init(of db: Connection, excluding trackingTable: String) throws {
        let schema = try Schema.read(db, excluding: trackingTable)
        self.schema = schema.normalized
        var tables: [String: String] = [:]
        for table in schema.tables { tables[table.name] = try TableDigest.of(table.name, on: db) }
        self.tables = tables
    }

    /// What differs from `other`, in words, for a report.
    public func differences(from other: DatabaseState) -> [String] {
        var found: [String] = []
        if schema != other.schema {
            let mine = Set(schema.split(separator: "\n")), theirs = Set(other.schema.split(separator: "\n"))
            for line in theirs.subtracting(mine).sorted() { found.append("missing after rollback: \(line)") }
            for line in mine.subtracting(theirs).sorted() { found.append("left behind by rollback: \(line)") }
        }
        for (table, digest) in other.tables.sorted(by: { $0.key < $1.key }) {
            if let now = tables[table], now != digest { found.append("rows of \(table) differ from before the migration") }
        }
        return found
    }
}
