import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

/// One "session" channel running one command (RFC 4254 §6.5 "exec"), in non-blocking mode:
/// the I/O that `SSHSession.run` and `SSHChannel` share.
///
/// libssh2's rule for non-blocking sends (https://github.com/libssh2/libssh2/pull/713): when a
/// call returns EAGAIN with a packet half-sent (the session blocks OUTBOUND), the next call that
/// sends must be that same call, or libssh2 answers LIBSSH2_ERROR_BAD_USE (or, for a read's
/// window adjustment, "Unable to send transfer-window adjustment packet"). `complete` repeats
/// such a call, and only it, until its packet is out.
final class ExecChannel {
    let connection: Connection
    let command: String
    private var handle: OpaquePointer?
    private var buffer = [CChar](repeating: 0, count: 32 * 1024)
    private var lines = [LineBuffer(), LineBuffer()]
    /// The server sent EOF and every byte of both streams was read.
    private(set) var remoteEOF = false
    private(set) var eofSent = false

    private init(connection: Connection, command: String, handle: OpaquePointer) {
        self.connection = connection
        self.command = command
        self.handle = handle
    }

    deinit { abandon() }

    /// Opens a session channel and starts `command` in it
    /// (https://libssh2.org/libssh2_channel_open_ex.html, https://libssh2.org/libssh2_channel_process_startup.html).
    static func start(_ command: String, on connection: Connection) throws(SSHError) -> ExecChannel {
        connection.freeAnswered()
        let session = connection.session
        let handle = try connection.retryPointer(command: command, doing: "opening a channel") {
            cssh2_channel_open_session(session)
        }
        let channel = ExecChannel(connection: connection, command: command, handle: handle)
        let rc = try connection.retry(command: command) { cssh2_channel_exec(handle, command) } ?? LIBSSH2_ERROR_TIMEOUT
        guard rc == 0 else { throw connection.failure(rc, doing: "starting the command", command: command) }
        return channel
    }

    /// Reads what has arrived on stdout and stderr, without waiting; `line` gets each complete
    /// line (isError for stderr). Returns whether any byte was read. Sets `remoteEOF` once the
    /// server sent EOF and both streams are drained, and then hands out unterminated last lines.
    func pump(_ line: (SSHOutputLine) -> Void) throws(SSHError) -> Bool {
        guard let handle, !remoteEOF else { return false }
        var progressed = false
        for stream in 0..<2 {
            while true {
                let n = try complete { buffer.withUnsafeMutableBufferPointer { libssh2_channel_read_ex(handle, Int32(stream), $0.baseAddress, $0.count) } }
                if n > 0 {
                    progressed = true
                    buffer.withUnsafeBytes { bytes in
                        lines[stream].append(UnsafeRawBufferPointer(rebasing: bytes[0..<n])) { line(SSHOutputLine(text: $0, isError: stream == 1)) }
                    }
                    continue
                }
                if n < 0 && n != Int(LIBSSH2_ERROR_EAGAIN) {
                    throw connection.failure(Int32(n), doing: "reading the output", command: command)
                }
                break  // 0: this stream is at EOF; EAGAIN: nothing more for now
            }
        }
        // https://libssh2.org/libssh2_channel_eof.html: 1 once the server sent EOF and no data
        // of this channel is left queued, on either stream.
        if libssh2_channel_eof(handle) == 1 {
            remoteEOF = true
            for stream in 0..<2 {
                if let rest = lines[stream].finish() { line(SSHOutputLine(text: rest, isError: stream == 1)) }
            }
        }
        return progressed
    }

    /// Writes a prefix of `bytes` to the command's stdin: how many bytes went, 0 when the window
    /// is full (then wait and call again with the same bytes).
    func write(_ bytes: ArraySlice<UInt8>) throws(SSHError) -> Int {
        guard let handle, !bytes.isEmpty else { return 0 }
        let n = try complete {
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { libssh2_channel_write_ex(handle, 0, $0.baseAddress, $0.count) }
            }
        }
        if n >= 0 { return n }
        if n == Int(LIBSSH2_ERROR_EAGAIN) { return 0 }
        throw connection.failure(Int32(n), doing: "writing to the command's stdin", command: command)
    }

    /// Sends EOF on stdin (https://libssh2.org/libssh2_channel_send_eof.html); once is enough.
    func sendEOF() throws(SSHError) {
        guard let handle, !eofSent else { return }
        let rc = try connection.retry(command: command) { libssh2_channel_send_eof(handle) } ?? LIBSSH2_ERROR_TIMEOUT
        guard rc == 0 else { throw connection.failure(rc, doing: "closing the command's stdin", command: command) }
        eofSent = true
    }

    /// Whether the server closed the channel (it does once the command ended and its output
    /// was sent), without waiting. Only meaningful after `remoteEOF`.
    func closedByServer() throws(SSHError) -> Bool {
        guard let handle, remoteEOF else { return false }
        let rc = try complete { Int(libssh2_channel_wait_closed(handle)) }
        if rc == 0 { return true }
        if rc == Int(LIBSSH2_ERROR_EAGAIN) { return false }
        throw connection.failure(Int32(rc), doing: "waiting for the command to end", command: command)
    }

    /// Closes our side and reads how the command ended. Exit status and signal are read only
    /// after close + wait_closed: the server may send "exit-status" after EOF (TOOLCHAIN.md §3).
    /// https://libssh2.org/libssh2_channel_get_exit_status.html, libssh2_channel_get_exit_signal.html
    func finish() throws(SSHError) -> SSHExit {
        guard let handle else { throw SSHError(.sessionClosed, endpoint: connection.endpoint, command: command) }
        let rc = try connection.retry(command: command) { libssh2_channel_close(handle) } ?? LIBSSH2_ERROR_TIMEOUT
        guard rc == 0 else { throw connection.failure(rc, doing: "closing the channel", command: command) }
        _ = try connection.retry(command: command) { libssh2_channel_wait_closed(handle) }
        var name: UnsafeMutablePointer<CChar>?
        var length = 0
        _ = libssh2_channel_get_exit_signal(handle, &name, &length, nil, nil, nil, nil)
        defer { Glibc.free(name) }
        if let name, length > 0 {
            return .signaled(String(decoding: UnsafeRawBufferPointer(start: name, count: length), as: UTF8.self))
        }
        return .exited(libssh2_channel_get_exit_status(handle))
    }

    /// Closes the channel without waiting for the command: sends CLOSE and hands the channel to
    /// the connection to free once the server answers. (OpenSSH answers only when the command's
    /// output is closed, usually when it exits; libssh2 1.10 cannot send it a signal.)
    func abandon() {
        guard let handle else { return }
        self.handle = nil
        guard !connection.isClosed else { return }
        if connection.lost == nil {
            _ = try? complete { Int(libssh2_channel_close(handle)) }
        }
        connection.free(handle)
    }

    /// https://libssh2.org/libssh2_channel_free.html, or later if libssh2 still waits for the
    /// server's CLOSE. After the session was freed, the handle is gone with it.
    func free() {
        guard let handle else { return }
        self.handle = nil
        guard !connection.isClosed else { return }
        connection.free(handle)
    }

    /// Repeats `operation` while it left a packet half-sent, waiting for the socket to take more.
    private func complete(_ operation: () -> Int) throws(SSHError) -> Int {
        var rc = operation()
        while rc == Int(LIBSSH2_ERROR_EAGAIN),
            libssh2_session_block_directions(connection.session) & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0
        {
            try connection.wait(until: nil, command: command)
            rc = operation()
        }
        return rc
    }
}
