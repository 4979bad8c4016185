import Crypto

#if canImport(Glibc)
import Glibc
#endif

/// slipway on a remote host: this very binary, kept in the deploying user's cache
/// folder there (`~/.cache/slipway/<build id>/slipway`). A host that lacks it, or has
/// another build, gets it uploaded (`RemoteHost.install`) and checked there by its
/// SHA-256, so the host needs neither slipway nor a Swift toolchain installed.
///
/// The folder is named by the build's identity (its file's size, modification time and
/// inode, hashed), not by the SHA-256 of its contents: a release binary is ~100 MB, and
/// hashing it took 0.4 s of every deploy. The content hash is computed only to upload.
public struct RemoteSlipway: Sendable, Equatable {
    /// 16 hex digits naming this build.
    public var id: String
    /// The binary here, to upload.
    public var localPath: String

    public init(id: String, localPath: String) {
        self.id = id
        self.localPath = localPath
    }

    /// This process's own executable at `path`; nil when it cannot be read.
    public static func of(binary path: String) -> RemoteSlipway? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let identity = "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino) \(info.st_dev)"
        return RemoteSlipway(id: String(hex(SHA256.hash(data: Array(identity.utf8))).prefix(16)), localPath: path)
    }

    /// The SHA-256 of the binary's contents, in hex (for checking an upload).
    public func contentHash() -> String? {
        let fd = open(localPath, O_RDONLY | O_CLOEXEC)
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
        return Self.hex(hasher.finalize())
    }

    /// Below the remote user's home folder.
    public var relativePath: String { ".cache/slipway/\(id)/slipway" }

    /// The binary as a command word for the host's shell: `"$HOME"/'.cache/slipway/…/slipway'`.
    public var word: Command.Word { .home(relativePath) }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
