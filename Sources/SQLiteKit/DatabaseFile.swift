#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at a database path, found without letting SQLite touch it.
///
/// SQLite opens any file and only complains on first read, and a write attempt
/// can leave a `-journal` behind; checking the 16-byte header first means a
/// text file or a stray binary given as `--db` is refused before anything happens.
public enum DatabaseFile: Equatable, Sendable {
    case missing
    /// Exists with zero bytes: SQLite treats it as an empty database.
    case empty
    case sqlite
    case directory
    case notSQLite(String)
    case unreadable(String)

    public static let header: [UInt8] = Array("SQLite format 3".utf8) + [0]

    public static func inspect(_ path: String) -> DatabaseFile {
        var info = stat()
        if stat(path, &info) != 0 {
            return errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .directory }
        if info.st_size == 0 { return .empty }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 100)
        let n = read(fd, &buffer, 100)
        if n < 100 || Array(buffer[0..<16]) != header {
            let size = "\(info.st_size) byte\(info.st_size == 1 ? "" : "s")"
            let text = buffer[0..<max(n, 0)].allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || $0 >= 32 }
            return .notSQLite("it is \(text ? "a text file" : "a file") of \(size) that does not start with 'SQLite format 3'")
        }
        return .sqlite
    }
}
