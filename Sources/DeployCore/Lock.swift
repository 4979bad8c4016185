#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The deploy lock of one target: `<path>/.slipway/lock`, held for a deploy's
/// whole run, migrations included (Kamal released its lock before them).
///
/// The file says who holds it; an `flock` on it, held by the open descriptor,
/// says whether that holder is alive: the kernel drops it when the process dies,
/// even by SIGKILL, so a dead holder is told from a live one without trusting
/// pids (which get reused). The file is made under a temporary name, locked,
/// filled, then `link`ed into place, so nobody ever sees it empty or unlocked.
public final class DeployLock {
    public struct Holder: Sendable, Codable, Equatable {
        public var identity: Identity
        public var deploy: String
        /// Unix milliseconds.
        public var since: Int64

        public init(identity: Identity, deploy: String, since: Int64) {
            self.identity = identity
            self.deploy = deploy
            self.since = since
        }

        public var description: String {
            "\(identity.user)@\(identity.host), pid \(identity.pid), since \(WallClock.text(since)), running `\(identity.command)` (deploy \(deploy))"
        }
    }

    public enum LockError: Error, Sendable, Equatable, CustomStringConvertible {
        case held(path: String, Holder)
        /// Left by a process that is gone; `--force-unlock` removes it.
        case stale(path: String, Holder?)
        case failed(path: String, String)

        public var description: String {
            switch self {
            case .held(_, let h):
                "the target is locked by another deploy: \(h.description); wait for it to finish"
            case .stale(let path, let h):
                "a stale deploy lock is left at \(path)" + (h.map { " by \($0.description), which is no longer running" } ?? "")
                    + ": that deploy was cut off (see `slipway history`); check the app, then run again with --force-unlock to remove the lock"
            case .failed(let path, let why):
                "cannot take the deploy lock \(path): \(why)"
            }
        }
    }

    public let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// Takes the lock in `folder` (created if needed). With `force`, a stale lock is removed first;
    /// a lock whose holder is alive is never taken away.
    public static func acquire(folder: String, holder: Holder, force: Bool = false) throws(LockError) -> DeployLock {
        let path = folder + "/lock"
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { throw .failed(path: path, errorText()) }
        let temporary = folder + "/lock.\(holder.identity.pid).tmp"
        let fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .failed(path: path, errorText()) }
        defer { unlink(temporary) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); throw .failed(path: path, "flock: \(errorText())") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(holder)) ?? Data()
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        for attempt in 0..<2 {
            if link(temporary, path) == 0 { return DeployLock(path: path, fd: fd) }
            guard errno == EEXIST else { close(fd); throw .failed(path: path, errorText()) }
            switch inspect(path) {
            case .held(let h): close(fd); throw .held(path: path, h)
            case .gone: continue
            case .stale(let h):
                guard force, attempt == 0 else { close(fd); throw .stale(path: path, h) }
                unlink(path)
            }
        }
        close(fd)
        throw .failed(path: path, "another deploy took the lock at the same moment")
    }

    /// Who holds the lock in `folder`, if anyone, and whether that process is alive.
    public static func status(folder: String) -> (holder: Holder?, stale: Bool)? {
        switch inspect(folder + "/lock") {
        case .gone: nil
        case .held(let h): (h, false)
        case .stale(let h): (h, true)
        }
    }

    private enum State { case gone, held(Holder), stale(Holder?) }

    private static func inspect(_ path: String) -> State {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .gone }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 65536)
        let n = read(fd, &bytes, bytes.count)
        let holder = n > 0 ? try? JSONDecoder().decode(Holder.self, from: Data(bytes[0..<n])) : nil
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return .stale(holder)
        }
        return holder.map { .held($0) } ?? .held(Holder(identity: Identity(user: "?", host: "?", pid: 0, command: "?"), deploy: "?", since: 0))
    }

    /// Removes the lock if it is still this one (not a later deploy's after a forced unlock).
    public func release() {
        guard fd >= 0 else { return }
        var mine = stat(), there = stat()
        if fstat(fd, &mine) == 0, stat(path, &there) == 0, mine.st_ino == there.st_ino, mine.st_dev == there.st_dev {
            unlink(path)
        }
        close(fd)
        fd = -1
    }

    /// Lets go of the descriptor but leaves the file: the lock shows as stale (its holder
    /// is gone), for a deploy that was cut off and must not look finished.
    public func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
