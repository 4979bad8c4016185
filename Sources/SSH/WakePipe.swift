#if canImport(Glibc)
import Glibc
#endif

/// A pipe whose read end sits in every poll() of a session, so that `SSHSession.cancel()`,
/// called on another thread, interrupts a wait at once instead of at the next timeout.
/// Both ends are non-blocking: a wake-up that finds the pipe full is already pending.
enum WakePipe {
    /// (read end, write end), both non-blocking and close-on-exec.
    static func make() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    static func wake(_ writeEnd: Int32) {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    static func drain(_ readEnd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}
