/// How to reach one host and whom to trust there.
public struct SSHOptions: Sendable {
    public var endpoint: SSHEndpoint
    /// A private key in OpenSSH's format (ed25519, ECDSA or RSA). nil: authenticate with ssh-agent.
    public var keyFile: String?
    /// For an encrypted `keyFile`.
    public var passphrase: String?
    /// known_hosts files, checked in order; a missing file counts as empty.
    public var knownHostsFiles: [String]
    /// false: an unknown host is refused. true: its key is appended to `knownHostsFiles[0]`
    /// (file and folder created, 0600/0700), like OpenSSH's `StrictHostKeyChecking=accept-new`.
    /// A key that differs from a stored one is never accepted.
    public var acceptNewHostKey: Bool
    /// Seconds for TCP connect, SSH handshake and authentication together.
    public var connectTimeout: Double
    /// Seconds of silence from the server before a keepalive is sent; 0 turns keepalives off.
    public var keepaliveInterval: Double
    /// With keepalives sent, `keepaliveInterval * keepaliveCountMax` seconds without a byte from
    /// the server mean the connection is lost (OpenSSH's ServerAliveCountMax).
    public var keepaliveCountMax: Int
    /// The ssh-agent socket used when `keyFile` is nil. nil: `$SSH_AUTH_SOCK` of this process.
    public var agentSocket: String?

    public init(
        endpoint: SSHEndpoint, keyFile: String? = nil, passphrase: String? = nil, knownHostsFiles: [String] = [],
        acceptNewHostKey: Bool = false, connectTimeout: Double = 10, keepaliveInterval: Double = 15,
        keepaliveCountMax: Int = 3, agentSocket: String? = nil
    ) {
        self.endpoint = endpoint
        self.keyFile = keyFile
        self.passphrase = passphrase
        self.knownHostsFiles = knownHostsFiles
        self.acceptNewHostKey = acceptNewHostKey
        self.connectTimeout = connectTimeout
        self.keepaliveInterval = keepaliveInterval
        self.keepaliveCountMax = keepaliveCountMax
        self.agentSocket = agentSocket
    }
}
