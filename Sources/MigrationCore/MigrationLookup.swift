/// Finds the migration a user named on the command line.
public struct MigrationLookup: Sendable {
    public var files: [MigrationFile]

    public init(files: [MigrationFile]) { self.files = files }

    /// Accepts the exact filename, a path ending in it, or its number (`3`, `003`)
    /// when exactly one file has that number.
    public func find(_ name: String) throws(MigrationError) -> MigrationFile {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        if let exact = files.first(where: { $0.filename == base }) { return exact }
        if !base.isEmpty, base.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let value = UInt64(base.drop { $0 == "0" }) ?? 0
            let matches = files.filter { $0.numericValue == value }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                throw .unknownMigration(name, detail: "the number matches \(matches.map(\.filename).joined(separator: ", ")); give the filename")
            }
        }
        throw .unknownMigration(name, detail: "no file of that name or number in the migrations folder")
    }

    /// The one of `names` that `name` means: itself, itself without `.sql`, or its
    /// number when exactly one has it (`4`, `004`). For names that may have no file
    /// (applied rows), where `find` needs files.
    public static func resolve(_ name: String, among names: [String]) -> String? {
        let found = matches(name, among: names)
        return found.count == 1 ? found[0] : nil
    }

    /// Every one of `names` that `name` may mean: the exact one alone, else those with its number.
    static func matches(_ name: String, among names: [String]) -> [String] {
        if let exact = names.first(where: { $0 == name || $0 == name + ".sql" }) { return [exact] }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt64(name) else { return [] }
        var seen = Set<String>()
        return names.filter { n in UInt64(n.prefix { $0.isASCII && $0.isNumber }) == value && seen.insert(n).inserted }
    }
}
