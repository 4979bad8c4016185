/// The migrations folder: every `*.sql` file in it, in byte-wise filename order.
public struct MigrationDirectory: Sendable {
    public var path: String
    /// The files as read once, for many databases migrated from one folder.
    var preloaded: [MigrationFile]?

    public init(path: String) { self.path = path }

    /// This folder with its files read now, so runs over many databases read and hash them once.
    public func loadedOnce() throws(MigrationError) -> MigrationDirectory {
        var copy = self
        copy.preloaded = try load()
        return copy
    }

    /// Reads every migration and its checksum. Subfolders and other files are ignored.
    ///
    /// Byte-wise order (not locale order) is what the sql.js runner's `sort()`
    /// gave for ASCII names, and it is the same on every machine.
    public func load() throws(MigrationError) -> [MigrationFile] {
        if let preloaded { return preloaded }
        switch FileSystem.kind(path) {
        case .directory: break
        case .missing: throw .migrationsFolderMissing(path)
        case .file, .other: throw .unreadable(path: path, reason: "it is not a folder")
        }
        let names = try FileSystem.entries(path)
            .filter { $0.isFile && $0.name.hasSuffix(".sql") && !$0.name.hasPrefix(".") }
            .map(\.name)
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var files: [MigrationFile] = []
        files.reserveCapacity(names.count)
        for name in names {
            let full = FileSystem.join(path, name)
            files.append(MigrationFile(filename: name, path: full, bytes: try FileSystem.read(full)))
        }
        return files
    }
}
