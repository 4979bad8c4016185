#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file calls the core needs. Kept here so that the rest of the
/// module reads as Swift, and so the core stays free of Foundation (start-up
/// time matters for a no-op `migrate` run on every deploy).
enum FileSystem {
    enum Kind { case missing, file, directory, other }

    static func kind(_ path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .other
        }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Names in a directory, without `.` and `..`.
    static func list(_ path: String) throws(MigrationError) -> [String] {
        try entries(path).map(\.name)
    }

    /// Names in a directory with whether each is a regular file, from `readdir`'s
    /// type when the file system gives it (no `stat` per file), else from `stat`.
    static func entries(_ path: String) throws(MigrationError) -> [(name: String, isFile: Bool)] {
        guard let dir = opendir(path) else { throw .unreadable(path: path, reason: errorText()) }
        defer { closedir(dir) }
        var result: [(name: String, isFile: Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name != "." && name != ".." else { continue }
            let type = Int32(entry.pointee.d_type)
            let isFile = type == DT_REG || ((type == DT_UNKNOWN || type == DT_LNK) && kind(join(path, name)) == .file)
            result.append((name, isFile))
        }
        return result
    }

    static func read(_ path: String) throws(MigrationError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: errorText()) }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0))
        var total = 0
        // Read until the size fstat gave; grow only for a file that is still being written.
        while true {
            if total == bytes.count {
                if total > 0 && total == Int(info.st_size) { break }
                bytes.append(contentsOf: repeatElement(0, count: 4096))
            }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: errorText())
            }
            if n == 0 { break }
            total += n
        }
        bytes.removeLast(bytes.count - total)
        return bytes
    }

    /// Creates `path` with `contents`; fails if it exists (O_EXCL), never overwrites.
    static func createNew(_ path: String, contents: String) throws(MigrationError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw .unreadable(path: path, reason: errorText()) }
        defer { close(fd) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: errorText())
            }
            written += n
        }
    }

    /// Writes `contents` to `path` through a temporary file renamed over it, so a
    /// reader sees the old file or the new one, never half of one.
    static func replace(_ path: String, contents: String) throws(MigrationError) {
        let temporary = path + ".tmp-\(getpid())"
        remove(temporary)
        do {
            try createNew(temporary, contents: contents)
            try rename(temporary, path)
        } catch {
            remove(temporary)
            throw error
        }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(MigrationError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .unreadable(path: current, reason: errorText())
            }
        }
    }

    static func remove(_ path: String) { unlink(path) }

    /// A file's size in bytes; 0 when it is missing.
    static func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Runs `body` holding an exclusive `flock` on a folder, which the kernel
    /// releases if the process dies. A folder, not the database file: opening and
    /// closing another descriptor of the database would drop SQLite's own POSIX
    /// locks on it (https://sqlite.org/howtocorrupt.html, section 2.2).
    static func withFolderLock<T>(_ path: String, _ body: () throws(MigrationError) -> T) throws(MigrationError) -> T {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: errorText()) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .unreadable(path: path, reason: "cannot lock: \(errorText())") }
        }
        return try body()
    }

    static func rename(_ from: String, _ to: String) throws(MigrationError) {
        if Glibc.rename(from, to) != 0 { throw .unreadable(path: to, reason: errorText()) }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func join(_ a: String, _ b: String) -> String {
        a.hasSuffix("/") ? a + b : a + "/" + b
    }
}
