import CLibSSH2
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One libssh2 session over one TCP socket, in non-blocking mode: every libssh2 call that
/// would block returns LIBSSH2_ERROR_EAGAIN, and `wait` polls the socket in the directions
/// libssh2 reports (https://libssh2.org/libssh2_session_block_directions.html) plus a wake-up
/// pipe for `cancel()`. While waiting it sends keepalives and notices a server that went silent.
///
/// Used by one thread at a time (libssh2 is not thread-safe per session), except `cancel()`.
final class Connection {
    let endpoint: SSHEndpoint
    let socket: Int32
    let session: OpaquePointer
    private let clock = IOClock()
    private let wakeRead: Int32
    /// What another thread may touch: the cancel flag and the pipe end that wakes the waiter.
    private let control: Mutex<Control>
    private var keepalive: Liveness
    /// Set once the connection broke: every later call fails with it.
    private(set) var lost: SSHError?
    private(set) var isClosed = false
    /// Channels closed by us whose CLOSE the server has not answered yet: libssh2_channel_free
    /// returns EAGAIN for them until it does. Retried at each new channel; the rest go with the
    /// session (libssh2_session_free, after the socket is shut down, cannot block on them).
    private var unfreed: [OpaquePointer] = []

    private struct Control {
        var cancelled = false
        var wakeWrite: Int32
    }

    /// A libssh2 session on the connected `socket`, not yet handshaken. Takes over `socket`.
    init(endpoint: SSHEndpoint, socket: Int32, options: SSHOptions) throws(SSHError) {
        guard LibSSH2.initialized == 0 else {
            Glibc.close(socket)
            throw SSHError(.handshakeFailed("libssh2_init failed (\(LibSSH2.initialized))"), endpoint: endpoint)
        }
        guard let pipe = WakePipe.make(),
            let session = cssh2_session_init_abstract(Unmanaged.passUnretained(clock).toOpaque())
        else {
            Glibc.close(socket)
            throw SSHError(.handshakeFailed("cannot create a libssh2 session"), endpoint: endpoint)
        }
        self.endpoint = endpoint
        self.socket = socket
        self.session = session
        self.wakeRead = pipe.read
        self.control = Mutex(Control(wakeWrite: pipe.write))
        self.keepalive = Liveness(interval: options.keepaliveInterval, countMax: options.keepaliveCountMax)
        IOClock.install(on: session)
        libssh2_session_set_blocking(session, 0)
    }

    deinit { close() }

    var isCancelled: Bool { control.withLock { $0.cancelled } }

    /// Thread-safe: marks the session cancelled and wakes a waiting `wait`.
    func cancel() {
        control.withLock { state in
            state.cancelled = true
            if state.wakeWrite >= 0 { WakePipe.wake(state.wakeWrite) }
        }
    }

    /// libssh2_session_handshake, retried until `deadline` (https://libssh2.org/libssh2_session_handshake.html).
    func handshake(deadline: ContinuousClock.Instant, timeout: Double) throws(SSHError) {
        guard let rc = try retry(until: deadline, command: nil, watchLiveness: false, { libssh2_session_handshake(session, socket) }) else {
            throw SSHError(.timedOut(.handshake, seconds: timeout), endpoint: endpoint)
        }
        guard rc == 0 else { throw SSHError(.handshakeFailed(LibSSH2.lastError(session)), endpoint: endpoint) }
    }

    /// Turns on libssh2's keepalive messages with want_reply, so that a live server always answers
    /// (https://libssh2.org/libssh2_keepalive_config.html). libssh2 counts whole seconds and makes
    /// 1 into 2; `Liveness` decides when to ask and when silence means the connection is gone.
    func startKeepalives() {
        guard keepalive.interval > 0 else { return }
        libssh2_keepalive_config(session, 1, UInt32(max(2, keepalive.interval.rounded(.up))))
        keepalive.reset(lastReceive: clock.lastReceive)
    }

    /// Calls `operation` until it stops returning LIBSSH2_ERROR_EAGAIN, waiting for the socket
    /// in between. Its last result, or nil when `deadline` passed first.
    func retry(
        until deadline: ContinuousClock.Instant? = nil, command: String?, watchLiveness: Bool = true, _ operation: () -> Int32
    ) throws(SSHError) -> Int32? {
        while true {
            if let lost { throw lost.running(command) }
            let rc = operation()
            if rc != LIBSSH2_ERROR_EAGAIN { return rc }
            guard try wait(until: deadline, command: command, watchLiveness: watchLiveness) else { return nil }
        }
    }

    /// `retry` for the libssh2 calls that return a pointer, or NULL with the reason in last_errno.
    func retryPointer(
        until deadline: ContinuousClock.Instant? = nil, command: String?, doing: String, _ operation: () -> OpaquePointer?
    ) throws(SSHError) -> OpaquePointer {
        var result: OpaquePointer?
        let rc = try retry(until: deadline, command: command) {
            result = operation()
            return result == nil ? libssh2_session_last_errno(session) : 0
        }
        if let result { return result }
        throw failure(rc ?? LIBSSH2_ERROR_TIMEOUT, doing: doing, command: command)
    }

    /// Waits until the socket is ready in the directions libssh2 blocked on, the wake pipe fires,
    /// or `deadline` passes (then false). With `watchLiveness`, wakes at least every second to send
    /// keepalives and throws `connectionLost` when the server stopped answering.
    @discardableResult
    func wait(until deadline: ContinuousClock.Instant?, command: String?, watchLiveness: Bool = true) throws(SSHError) -> Bool {
        if let lost { throw lost.running(command) }
        let directions = libssh2_session_block_directions(session)
        var events = Int16(POLLIN)
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        var fds = [pollfd(fd: socket, events: events, revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let now = ContinuousClock.now
        var timeout = deadline.map { now.duration(to: $0) }
        if watchLiveness, let tick = keepalive.tick { timeout = min(timeout ?? tick, tick) }
        _ = poll(&fds, 2, timeout.map(Poller.milliseconds) ?? -1)
        if fds[1].revents != 0 { WakePipe.drain(wakeRead) }
        if watchLiveness { try checkAlive(command: command) }
        if let deadline, ContinuousClock.now >= deadline { return false }
        return true
    }

    /// Sends a keepalive when the server has been silent for an interval, and declares the
    /// connection lost when it stays silent for `interval * countMax` with a keepalive (or our own
    /// blocked output) waiting for it. Unread bytes on the socket are an answer not yet read.
    private func checkAlive(command: String?) throws(SSHError) {
        let now = ContinuousClock.now
        keepalive.received(at: clock.lastReceive)
        guard keepalive.shouldAsk(now: now) else { return }
        if libssh2_session_block_directions(session) & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 {
            // The server does not even read what we send: as good as an unanswered keepalive.
            // (libssh2_keepalive_send must not run now: a half-sent packet makes it fail.)
            keepalive.asked(at: now)
        } else {
            // Only with room in the socket buffer: a keepalive left half-sent would make every
            // later send fail (libssh2_keepalive_send drops its EAGAIN).
            guard Poller.isWritable(socket) else { return }
            let sends = clock.sends
            var next: Int32 = 0
            let rc = libssh2_keepalive_send(session, &next)
            if rc != 0 && LibSSH2.isConnectionGone(rc) {
                throw failure(rc, doing: "sending a keepalive", command: command)
            }
            if clock.sends > sends { keepalive.asked(at: now) }
        }
        if let silence = keepalive.lostAfter(now: now), !Poller.isReadable(socket) {
            throw markLost("no answer for \(SSHError.seconds(silence))", command: command)
        }
    }

    /// libssh2_channel_free now if it can be done without waiting, else later.
    func free(_ channel: OpaquePointer) {
        if libssh2_channel_free(channel) == LIBSSH2_ERROR_EAGAIN { unfreed.append(channel) }
    }

    /// Frees the channels whose CLOSE has been answered since.
    func freeAnswered() {
        unfreed.removeAll { libssh2_channel_free($0) != LIBSSH2_ERROR_EAGAIN }
    }

    /// The error for a failed libssh2 call: `connectionLost` (remembered for every later call) when
    /// the socket is gone, else `channelFailed` with libssh2's message.
    func failure(_ rc: Int32, doing: String, command: String?) -> SSHError {
        let code = rc == LIBSSH2_ERROR_EAGAIN ? libssh2_session_last_errno(session) : rc
        let message = LibSSH2.lastError(session)
        // libssh2 also says SOCKET_SEND when it merely deferred a window adjustment: believe it
        // only if the socket agrees.
        let gone = code == LIBSSH2_ERROR_SOCKET_SEND ? Poller.isBroken(socket) : LibSSH2.isConnectionGone(code)
        if gone {
            let why: String
            switch code {
            case LIBSSH2_ERROR_SOCKET_DISCONNECT: why = "the server closed the connection"
            case LIBSSH2_ERROR_SOCKET_RECV where clock.peerClosed: why = "the server closed the connection"
            case LIBSSH2_ERROR_SOCKET_RECV where clock.lastErrno != 0: why = "reading failed: \(String(cString: strerror(clock.lastErrno)))"
            case LIBSSH2_ERROR_SOCKET_SEND where clock.lastErrno != 0: why = "sending failed: \(String(cString: strerror(clock.lastErrno)))"
            default: why = message
            }
            return markLost(why, command: command)
        }
        return SSHError(.channelFailed("\(doing) failed: \(message)"), endpoint: endpoint, command: command)
    }

    /// Remembers the connection as lost and shuts the socket down, so that whatever libssh2
    /// still sends while freeing channels fails at once instead of waiting on a dead peer.
    private func markLost(_ why: String, command: String?) -> SSHError {
        let error = SSHError(.connectionLost(why), endpoint: endpoint)
        lost = error
        shutdown(socket, Int32(SHUT_RDWR))
        return error.running(command)
    }

    /// Says goodbye if the connection still works, then frees the session and closes the socket.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        let wakeWrite = control.withLock { state in
            defer { state.wakeWrite = -1 }
            return state.wakeWrite
        }
        if lost == nil {
            let deadline = ContinuousClock.now + .milliseconds(500)
            _ = try? retry(until: deadline, command: nil, watchLiveness: false) {
                cssh2_session_disconnect(session, "session closed")
            }
        }
        // With the socket shut down, nothing libssh2_session_free sends can block (EAGAIN).
        shutdown(socket, Int32(SHUT_RDWR))
        var attempts = 0
        while libssh2_session_free(session) == LIBSSH2_ERROR_EAGAIN && attempts < 10 { attempts += 1 }
        Glibc.close(socket)
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }
}

extension SSHError {
    /// The same error, naming `command` (kept when it already names one).
    func running(_ command: String?) -> SSHError {
        var copy = self
        if copy.command == nil { copy.command = command }
        return copy
    }
}
