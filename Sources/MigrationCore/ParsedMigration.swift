/// A migration file that is about to run, with its sections parsed.
struct ParsedMigration {
    let file: MigrationFile
    let source: MigrationSource

    init(_ file: MigrationFile) throws(MigrationError) {
        self.file = file
        self.source = try file.parse()
    }

    var filename: String { file.filename }
    var path: String { file.path }
    var checksum: String { file.checksum }
}
