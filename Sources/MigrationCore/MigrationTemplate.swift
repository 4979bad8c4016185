/// Creates the next numbered migration file, e.g. `009_add_invoices.sql`.
public struct MigrationTemplate: Sendable {
    public var directory: MigrationDirectory

    public init(directory: MigrationDirectory) { self.directory = directory }

    /// What `slipway new` writes: empty up and down sections.
    public static let emptySections = """
        -- migrate:up


        -- migrate:down
        -- Optional: slipway generates the reverse of the up section when this is empty.

        """

    /// Creates the file (by default with empty up and down sections) and returns its path.
    /// The name may only hold letters, digits, `_`, `-` and spaces, so the file
    /// always lands inside the migrations folder; an existing file is never overwritten.
    public func create(name: String, contents: String = emptySections) throws(MigrationError) -> String {
        let slug = try Self.slug(name)
        let files = try directory.load()
        let numbered = files.compactMap { f in f.number.map { (digits: $0, value: f.numericValue ?? 0) } }
        // The width of the newest number (`10_f.sql` after `009_e.sql` makes `11_…`, not `011_…`,
        // which would sort before it): the new file must be the last in byte order, the order migrate applies.
        let newest = numbered.max { $0.value < $1.value }
        let width = newest?.digits.count ?? 3
        let next = (newest?.value ?? 0) + 1
        let digits = String(next)
        let filename = String(repeating: "0", count: max(0, width - digits.count)) + digits + "_" + slug + ".sql"
        if let last = files.map(\.filename).max(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }),
           !last.utf8.lexicographicallyPrecedes(filename.utf8) {
            throw .invalidName(name, reason: "\(filename) would sort before \(last), so migrate would apply it out of order; rename the files to one numbering width first")
        }
        let path = FileSystem.join(directory.path, filename)
        try FileSystem.createNew(path, contents: contents)
        return path
    }

    static func slug(_ name: String) throws(MigrationError) -> String {
        let allowed = name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" || $0 == " " }
        guard allowed else {
            throw .invalidName(name, reason: "use letters, digits, '_', '-' or spaces (no '/', '.' or other characters)")
        }
        let words = name.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" })
        guard !words.isEmpty else { throw .invalidName(name, reason: "it is empty") }
        return words.joined(separator: "_")
    }
}
