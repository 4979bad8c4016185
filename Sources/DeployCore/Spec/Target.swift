/// A place to deploy to: a folder on this machine (`path` only) or on remote hosts.
public struct Target: Sendable, Equatable {
    public var name: String
    public var path: SpecString
    /// `host` or `hosts`, as `[user@]host`; empty for a local target.
    public var hosts: [SpecString] = []
    public var user: SpecString?
    public var port: Int?
    public var key: SpecString?
    /// For an encrypted `key`: usually `${DEPLOY_KEY_PASSPHRASE}`, masked like every value from the environment.
    public var keyPassphrase: SpecString?
    /// Checked before `~/.ssh/known_hosts`; `--accept-new-host-key` appends to it.
    public var knownHosts: SpecString?
    /// Seconds for connect, handshake and login (default 10).
    public var connectTimeout: Double?
    /// Another target that runs the whole pipeline first.
    public var rehearseOn: String?
    /// Replaces the top-level steps when present.
    public var steps: [Step]?
    public var parallel: Int?
    public var line: Int
    public var column: Int

    public init(name: String, path: SpecString, line: Int = 0, column: Int = 0) {
        self.name = name
        self.path = path
        self.line = line
        self.column = column
    }

    public var isLocal: Bool { hosts.isEmpty }

    public static let keys = ["path", "host", "hosts", "user", "port", "key", "key_passphrase", "known_hosts", "connect_timeout",
                              "rehearse_on", "steps", "parallel"]
}
