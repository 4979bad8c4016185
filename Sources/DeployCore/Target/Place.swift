/// Where one host of a target runs its pipeline: this machine, or a host over SSH.
public enum Place: Sendable, Equatable, CustomStringConvertible {
    case local
    case remote(HostAddress)

    public var description: String {
        switch self {
        case .local: "local"
        case .remote(let address): address.description
        }
    }

    /// The hosts of `target`, in spec order (a local target is one place, this machine).
    public static func of(_ target: Target) -> [Place] {
        guard !target.isLocal else { return [.local] }
        return target.hosts.compactMap { HostAddress.parse($0.value, user: target.user?.value, port: target.port) }.map(Place.remote)
    }
}

/// `[user@]host[:port]`, with IPv6 addresses in brackets (`[::1]:2222`).
public struct HostAddress: Sendable, Hashable, CustomStringConvertible {
    /// nil: the login name of whoever runs slipway, as OpenSSH does.
    public var user: String?
    public var host: String
    public var port: Int

    public init(user: String?, host: String, port: Int) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// `user@host:port`, the host in brackets when it holds a colon.
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return (user.map { $0 + "@" } ?? "") + host + ":\(port)"
    }

    /// Parses one `hosts:` entry; `user` and `port` are the target's defaults. nil when malformed.
    public static func parse(_ text: String, user: String? = nil, port: Int? = nil) -> HostAddress? {
        var rest = Substring(text)
        var login = user
        if let at = rest.lastIndex(of: "@") {
            login = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            guard !login!.isEmpty else { return nil }
        }
        var host: Substring
        var number = port ?? 22
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()) else { return nil }
                number = p
            }
        } else if rest.filter({ $0 == ":" }).count == 1, let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            guard let p = Int(rest[rest.index(after: colon)...]) else { return nil }
            number = p
        } else {
            host = rest  // a name, an IPv4 address, or a bare IPv6 address without a port
        }
        guard !host.isEmpty, (1...65535).contains(number),
              !host.contains(where: { $0.isWhitespace || "/'\"`$;&|<>()\\".contains($0) }) else { return nil }
        return HostAddress(user: login, host: String(host), port: number)
    }
}
