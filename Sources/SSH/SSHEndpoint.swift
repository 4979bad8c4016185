/// Who logs in where: the `user@host:port` every SSH error names.
public struct SSHEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int

    public init(user: String, host: String, port: Int = 22) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// `user@host:port`; an IPv6 address is bracketed (`root@[::1]:22`) so the port stays readable.
    public var description: String { "\(user)@\(hostAndPort)" }

    /// `host:port`, `[::1]:port` for an IPv6 address.
    public var hostAndPort: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
