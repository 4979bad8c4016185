import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

/// When the session's socket last received a byte, and how many sends it made: kept by
/// libssh2's LIBSSH2_CALLBACK_RECV / SEND hooks (https://libssh2.org/libssh2_session_callback_set.html),
/// which do what libssh2's own `_libssh2_recv` / `_libssh2_send` do (return -errno) and count.
/// libssh2 has no "time of last byte received" of its own, and that time is what tells a
/// silent server from a quiet command once a keepalive asked for an answer.
final class IOClock {
    var lastReceive = ContinuousClock.now
    var sends: UInt64 = 0
    /// The errno of the last failed recv or send (not EAGAIN): libssh2 keeps only its own code.
    var lastErrno: Int32 = 0
    /// recv returned 0: the server closed its end (libssh2 reports it as LIBSSH2_ERROR_SOCKET_RECV).
    var peerClosed = false

    /// Installs both hooks on `session`, whose abstract pointer must be an unretained IOClock
    /// that outlives it (`cssh2_session_init_abstract`).
    static func install(on session: OpaquePointer) {
        let receive: @convention(c) (libssh2_socket_t, UnsafeMutableRawPointer?, Int, Int32, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int = {
            fd, buffer, length, flags, abstract in
            let n = recv(fd, buffer, length, flags)
            if n < 0 { return IOClock.negativeErrno(abstract) }
            if let raw = abstract?.pointee {
                let clock = Unmanaged<IOClock>.fromOpaque(raw).takeUnretainedValue()
                if n > 0 { clock.lastReceive = .now } else if length > 0 { clock.peerClosed = true }
            }
            return n
        }
        let send: @convention(c) (libssh2_socket_t, UnsafeRawPointer?, Int, Int32, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int = {
            fd, buffer, length, flags, abstract in
            let n = Glibc.send(fd, buffer, length, flags)
            if n < 0 { return IOClock.negativeErrno(abstract) }
            if n > 0, let raw = abstract?.pointee {
                Unmanaged<IOClock>.fromOpaque(raw).takeUnretainedValue().sends &+= 1
            }
            return n
        }
        _ = libssh2_session_callback_set(session, LIBSSH2_CALLBACK_RECV, unsafeBitCast(receive, to: UnsafeMutableRawPointer.self))
        _ = libssh2_session_callback_set(session, LIBSSH2_CALLBACK_SEND, unsafeBitCast(send, to: UnsafeMutableRawPointer.self))
    }

    /// libssh2 expects -errno, with EWOULDBLOCK as -EAGAIN; a real failure is also kept.
    private static func negativeErrno(_ abstract: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int {
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK { return -Int(EAGAIN) }
        if let raw = abstract?.pointee { Unmanaged<IOClock>.fromOpaque(raw).takeUnretainedValue().lastErrno = code }
        return -Int(code)
    }
}
