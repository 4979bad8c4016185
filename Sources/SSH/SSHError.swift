/// Everything that can go wrong talking to one host. Every message names `user@host:port`,
/// and, when a command was running, the command.
public struct SSHError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step of `SSHSession.connect` that ran out of `connectTimeout`.
    public enum Phase: String, Sendable, Equatable {
        case tcpConnect = "TCP connect"
        case handshake = "SSH handshake"
        case authentication = "authentication"
    }

    public enum Reason: Sendable, Equatable {
        /// getaddrinfo failed (its message).
        case cannotResolve(String)
        case connectionRefused
        /// connect(2) failed otherwise (strerror: "No route to host", "Network is unreachable").
        case unreachable(String)
        case timedOut(Phase, seconds: Double)
        /// The SSH handshake failed (libssh2's message).
        case handshakeFailed(String)
        /// The host key is in none of the known_hosts files. `line` is the known_hosts line that
        /// would trust it, `keyscan` the ssh-keyscan command that prints that line.
        case unknownHostKey(fingerprint: String, keyType: String, line: String, files: [String], keyscan: String)
        /// A known_hosts line for this host holds another key of the same type: never accepted.
        case hostKeyChanged(fingerprint: String, keyType: String, file: String, line: Int)
        /// The offered key is marked `@revoked` in a known_hosts file.
        case hostKeyRevoked(fingerprint: String, file: String, line: Int)
        case knownHostsUnreadable(file: String, String)
        case knownHostsUnwritable(file: String, String)
        /// The server refused every key tried. `offered`: the methods it lists (libssh2_userauth_list).
        case authenticationFailed(offered: [String], tried: String)
        /// The key file cannot be used (missing, encrypted without a passphrase, wrong passphrase).
        case keyFile(path: String, String)
        /// The connection broke or the server stopped answering keepalives.
        case connectionLost(String)
        /// Opening or using a channel failed while the connection itself is fine (libssh2's message).
        case channelFailed(String)
        /// `SSHChannel.readLine(timeout:)` saw no complete line in time.
        case readTimedOut(seconds: Double)
        case sftpFailed(path: String, String)
        case localFile(path: String, String)
        /// `SSHSession.cancel()` was called.
        case cancelled
        /// The session was closed with `close()`.
        case sessionClosed
    }

    public var endpoint: SSHEndpoint
    public var reason: Reason
    /// The remote command that was running, if any.
    public var command: String?

    public init(_ reason: Reason, endpoint: SSHEndpoint, command: String? = nil) {
        self.reason = reason
        self.endpoint = endpoint
        self.command = command
    }

    /// The connection is gone: every later call on the session fails the same way.
    public var isConnectionLost: Bool {
        if case .connectionLost = reason { return true }
        return false
    }

    public var description: String { message + running }

    private var running: String {
        guard let command else { return "" }
        let shown = command.count > 200 ? command.prefix(200) + "…" : Substring(command)
        return " (while running `\(shown)`)"
    }

    private var message: String {
        let at = endpoint.description
        let hostPort = endpoint.hostAndPort
        switch reason {
        case .cannotResolve(let why):
            return "cannot connect to \(at): cannot resolve host '\(endpoint.host)': \(why)"
        case .connectionRefused:
            return "cannot connect to \(at): connection refused (nothing listens on \(hostPort))"
        case .unreachable(let why):
            return "cannot connect to \(at): \(hostPort) is unreachable: \(why)"
        case .timedOut(let phase, let seconds):
            return "cannot connect to \(at): \(phase.rawValue) with \(hostPort) timed out after \(Self.seconds(seconds))"
        case .handshakeFailed(let why):
            return "SSH handshake with \(at) failed: \(why)"
        case .unknownHostKey(let fingerprint, let keyType, let line, let files, let keyscan):
            let file = files.first ?? "~/.ssh/known_hosts"
            let searched = files.isEmpty ? "no known_hosts file was given" : "not in \(files.joined(separator: ", "))"
            return """
                host key of \(at) is unknown (\(searched)); refusing to connect.
                  \(keyType) key fingerprint is \(fingerprint).
                  After checking it, add this line to \(file):
                    \(line)
                  or let ssh-keyscan write it: \(keyscan)
                  or pass --accept-new-host-key to trust it on first use
                """
        case .hostKeyChanged(let fingerprint, let keyType, let file, let line):
            return "HOST KEY CHANGED for \(at): the server offers \(keyType) key \(fingerprint), which differs from "
                + "the key at \(file):\(line). Someone may be intercepting the connection, or the host was reinstalled; "
                + "refusing to connect. If the change is expected, remove line \(line) from \(file) and connect again"
        case .hostKeyRevoked(let fingerprint, let file, let line):
            return "host key \(fingerprint) of \(at) is marked @revoked at \(file):\(line); refusing to connect"
        case .knownHostsUnreadable(let file, let why):
            return "cannot check the host key of \(at): cannot read \(file): \(why)"
        case .knownHostsUnwritable(let file, let why):
            return "cannot trust the new host key of \(at): cannot write \(file): \(why)"
        case .authenticationFailed(let offered, let tried):
            let methods = offered.isEmpty ? "no methods" : offered.joined(separator: ",")
            return "authentication failed for \(at): the server offers \(methods); tried \(tried)"
        case .keyFile(let path, let why):
            return "authentication failed for \(at): key file \(path): \(why)"
        case .connectionLost(let why):
            return "connection to \(at) lost: \(why)"
        case .channelFailed(let why):
            return "\(at): \(why)"
        case .readTimedOut(let seconds):
            return "\(at): no line within \(Self.seconds(seconds))"
        case .sftpFailed(let path, let why):
            return "upload to \(at):\(path) failed: \(why)"
        case .localFile(let path, let why):
            return "upload to \(at) failed: cannot read local file \(path): \(why)"
        case .cancelled:
            return "\(at): cancelled"
        case .sessionClosed:
            return "the SSH session to \(at) is closed"
        }
    }

    /// "1 s", "0.5 s", "45 s".
    static func seconds(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }
}
