/// One authenticated SSH connection to one host, on which commands run one after another
/// (and `open` channels alongside them).
///
/// Used from one thread at a time: libssh2 is not thread-safe within a session
/// (https://libssh2.org/libssh2_session_init_ex.html). `cancel()` is the exception. Sessions
/// to different hosts may be used from different threads at once.
public final class SSHSession: @unchecked Sendable {
    public let endpoint: SSHEndpoint
    let connection: Connection

    private init(endpoint: SSHEndpoint, connection: Connection) {
        self.endpoint = endpoint
        self.connection = connection
    }

    deinit { close() }

    /// TCP connect, SSH handshake, host key check, then authentication, all within
    /// `options.connectTimeout`. The host key is checked before anything is sent that could
    /// matter to an impostor: before authentication and before any command.
    public static func connect(_ options: SSHOptions) throws(SSHError) -> SSHSession {
        let endpoint = options.endpoint
        let deadline = ContinuousClock.now + .seconds(options.connectTimeout)
        let socket = try TCPConnection.connect(endpoint, deadline: deadline, timeout: options.connectTimeout)
        let connection = try Connection(endpoint: endpoint, socket: socket, options: options)
        do throws(SSHError) {
            try connection.handshake(deadline: deadline, timeout: options.connectTimeout)
            guard let key = HostKey(session: connection.session) else {
                throw SSHError(.handshakeFailed("the server offered no host key"), endpoint: endpoint)
            }
            let knownHosts = KnownHosts(files: options.knownHostsFiles, endpoint: endpoint)
            if try knownHosts.verify(key, session: connection.session) == .unknown {
                guard options.acceptNewHostKey else { throw knownHosts.unknownError(key) }
                try knownHosts.append(key)
            }
            try Authenticator(connection: connection, options: options, deadline: deadline).authenticate()
        } catch {
            connection.close()
            throw error
        }
        connection.startKeepalives()
        return SSHSession(endpoint: endpoint, connection: connection)
    }

    /// Runs `command` (a shell line for the remote user's shell) in a new channel; streams each
    /// output line as it arrives (stdout and stderr both, read non-blocking so a chatty stderr
    /// never stalls); returns how it ended. stdin of the remote command gets EOF at once unless
    /// `input` is given (bytes written, then EOF).
    ///
    /// `timeout`: after it, the channel's stdin gets EOF, then after `grace` seconds the channel is
    /// closed; returns .timedOut. `holdStdin`: stdin stays open after `input` until the command
    /// ends, times out or is cancelled, for a remote command that treats its stdin closing as the
    /// request to stop (with stdin at EOF from the start, that request cannot be made later).
    ///
    /// A command that ignores its stdin closing keeps running on the host after its channel was
    /// closed (libssh2 1.10 cannot send a signal), and its channel counts against the server's
    /// MaxSessions until it ends.
    ///
    /// Throws `connectionLost` (naming the command) when the connection breaks or the server stops
    /// answering keepalives; the session is unusable afterwards.
    public func run(
        _ command: String, input: [UInt8]? = nil, timeout: Double? = nil, grace: Double = 5, holdStdin: Bool = false,
        output: (SSHOutputLine) -> Void
    ) throws(SSHError) -> SSHExit {
        try checkUsable(command)
        let run = CommandRun(connection: connection, command: command, input: input ?? [], holdStdin: holdStdin, timeout: timeout, grace: grace)
        return try run.run(output: output)
    }

    /// A channel kept open while other commands run on the same session (e.g. a lock holder that
    /// reads lines from its stdin): the caller writes lines and reads reply lines.
    public func open(_ command: String) throws(SSHError) -> SSHChannel {
        try checkUsable(command)
        if connection.isCancelled { throw SSHError(.cancelled, endpoint: endpoint, command: command) }
        return SSHChannel(try ExecChannel.start(command, on: connection))
    }

    /// Thread-safe (may be called from a signal handler's dispatch queue while another thread is
    /// inside run()): the running `run` sends EOF to its command's stdin (the remote side sees
    /// stdin close — that is how the remote process is asked to stop), keeps streaming, and if it
    /// has not exited after `grace` seconds closes the channel; `run` then returns .cancelled unless
    /// the command reported its own exit status. Later runs return .cancelled at once; `open` and
    /// `upload` throw `.cancelled`. Channels already open (`open`) keep working.
    public func cancel() {
        connection.cancel()
    }

    /// Disconnects (SSH_MSG_DISCONNECT when the connection still works) and frees the session;
    /// idempotent. Channels from `open` fail with `.sessionClosed` afterwards.
    public func close() {
        connection.close()
    }

    func checkUsable(_ command: String?) throws(SSHError) {
        if connection.isClosed { throw SSHError(.sessionClosed, endpoint: endpoint, command: command) }
        if let lost = connection.lost { throw lost.running(command) }
    }
}
