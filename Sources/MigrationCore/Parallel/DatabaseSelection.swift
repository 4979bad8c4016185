#if canImport(Glibc)
import Glibc
#endif

/// The databases a command works on: `--db` given once or several times, each a
/// path or a shell pattern (`tenants/*.db`), matched by glob(3) in name order. A
/// plain path is taken as it is (migrate creates it); a pattern that matches
/// nothing is an error, since it can create nothing.
public struct DatabaseSelection: Sendable, Equatable {
    public var paths: [String]
    /// True when a pattern was given: the command reports per database even if one matched.
    public var isPattern: Bool

    public init(_ arguments: [String]) throws(MigrationError) {
        var paths: [String] = []
        var isPattern = false
        for argument in arguments {
            guard Self.isPattern(argument) else {
                if !paths.contains(argument) { paths.append(argument) }
                continue
            }
            isPattern = true
            let matches = Self.glob(argument)
            if matches.isEmpty {
                throw .noDatabaseMatches(pattern: argument)
            }
            for match in matches where !paths.contains(match) { paths.append(match) }
        }
        self.paths = paths
        self.isPattern = isPattern
    }

    public var isMany: Bool { isPattern || paths.count > 1 }

    public static func isPattern(_ path: String) -> Bool { path.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    /// Regular files matching `pattern`, sorted (glob's own order).
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            guard let raw = result.gl_pathv[i] else { continue }
            let path = String(cString: raw)
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { paths.append(path) }
        }
        return paths
    }
}
