import Crypto

#if canImport(Glibc)
import Glibc
#endif

/// slipway on a remote host: this very binary, kept in the deploying user's cache
/// folder there under its SHA-256 (`~/.cache/slipway/<sha256>/slipway`). A host that
/// lacks it, or has another build, gets it uploaded (`RemoteHost`), so the host needs
/// neither slipway nor a Swift toolchain installed.
public struct RemoteSlipway: Sendable, Equatable {
    /// Hex SHA-256 of the binary.
    public var sha256: String
    /// The binary here, to upload.
    public var localPath: String

    public init(sha256: String, localPath: String) {
        self.sha256 = sha256
        self.localPath = localPath
    }

    /// Hashes the binary at `path` (this process's own executable).
    public static func of(binary path: String) -> RemoteSlipway? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            hasher.update(data: buffer[0..<n])
        }
        let hex = hasher.finalize().map { String($0, radix: 16).leftPadded(2) }.joined()
        return RemoteSlipway(sha256: hex, localPath: path)
    }

    /// Below the remote user's home folder.
    public var relativePath: String { ".cache/slipway/\(sha256.prefix(16))/slipway" }

    /// The binary as a command word for the host's shell: `"$HOME"/'.cache/slipway/…/slipway'`.
    public var word: Command.Word { .home(relativePath) }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
