#if canImport(Glibc)
import Glibc
#endif

/// Where deploy.yml is when `--config` does not say: the nearest one in this folder
/// or a parent, as git finds its repository, so `slipway migrate` works from `src/`.
/// The walk stops at a repository's top (a folder holding `.git`) and at `/`: a
/// deploy.yml above the project is somebody else's.
public enum SpecLocation {
    public static let fileName = "deploy.yml"

    /// The nearest deploy.yml as a path from the current folder (`deploy.yml`,
    /// `../deploy.yml`, …), or nil when there is none.
    public static func find() -> String? {
        var prefix = ""
        for _ in 0..<64 {
            let candidate = prefix + fileName
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG { return candidate }
            if access(prefix + ".git", F_OK) == 0 || isRoot(prefix.isEmpty ? "." : prefix) { return nil }
            prefix += "../"
        }
        return nil
    }

    private static func isRoot(_ folder: String) -> Bool {
        guard let real = realpath(folder, nil) else { return true }
        defer { free(real) }
        return String(cString: real) == "/"
    }
}
