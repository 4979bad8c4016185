import CLibSSH2

/// Process-wide libssh2 state and small helpers around its error reporting.
enum LibSSH2 {
    /// libssh2_init must run once before any session is made, and not concurrently
    /// (https://libssh2.org/libssh2_init.html); a `static let` is initialised exactly once,
    /// thread-safely. libssh2_exit is never called: sessions may live until the process ends.
    static let initialized: Int32 = libssh2_init(0)

    /// libssh2's own words for the last error on `session`
    /// (https://libssh2.org/libssh2_session_last_error.html).
    static func lastError(_ session: OpaquePointer) -> String {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(session, &message, &length, 0)
        guard let message, length > 0 else { return "libssh2 error \(code)" }
        let text = String(decoding: UnsafeRawBufferPointer(start: message, count: Int(length)), as: UTF8.self)
        return "\(text) (libssh2 error \(code))"
    }

    /// Codes with which libssh2 reports that the TCP connection itself is gone
    /// (https://libssh2.org/libssh2_session_last_errno.html has the list).
    static func isConnectionGone(_ code: Int32) -> Bool {
        [
            LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_SOCKET_RECV,
            LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_BAD_SOCKET, LIBSSH2_ERROR_TIMEOUT,
        ].contains(code)
    }
}
