/// One thing `lint` found in a pending migration, at the statement that does it.
public struct LintFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case dropTable = "drop-table"
        case dropColumn = "drop-column"
        case tableRebuild = "table-rebuild"
        /// A `transaction:false` migration that changes something and has no down section.
        case notRestorable = "not-restorable"
        /// A DELETE or DROP on a parent whose children say ON DELETE CASCADE, which does not fire in migrations.
        case cascade = "cascade"
        case notNullWithoutDefault = "not-null-without-default"
        case uniqueOverDuplicates = "unique-duplicates"
        case pragmaInTransaction = "pragma-in-transaction"
        /// The migration would leave rows that break a FOREIGN KEY: migrate would roll it back.
        case foreignKeys = "foreign-keys"
        /// A hand-written down section that, run after the up, does not give back the rows
        /// or objects that were there before: rollback, which runs it, would lose them.
        case rollbackLosesData = "rollback-loses-data"
        /// A hand-written down section that fails after the up: rollback would fail.
        case downFails = "down-fails"
        /// A statement that fails on the copy: migrate would fail there too.
        case fails = "fails"

        /// What cannot succeed is an error; the rest are warnings.
        public var isError: Bool { self == .fails || self == .uniqueOverDuplicates || self == .foreignKeys }
    }

    public var code: Code
    public var location: SourceLocation
    public var message: String

    public init(_ code: Code, at location: SourceLocation, _ message: String) {
        self.code = code
        self.location = location
        self.message = message
    }

    public var severity: String { code.isError ? "error" : "warning" }

    public var description: String { "\(location): \(severity): \(message) [\(code.rawValue)]" }
}
