import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// TCP on loopback addresses (127.0.0.0/8 and ::1) for the test harness: free ports, a probe
/// connect, a listener that never speaks.
public enum Loopback {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A port nobody listens on right now at `address`: bind port 0, read it, close.
    /// (Another process may take it before it is used; `Sshd.start` retries on that.)
    public static func freePort(on address: String = "127.0.0.1") throws -> Int {
        let (fd, _) = try boundSocket(address, port: 0)
        defer { close(fd) }
        return try localPort(of: fd)
    }

    /// Whether a TCP connect to `address:port` succeeds within `timeout` seconds; then the local
    /// port of that connection (closed again at once), so a server's log line about it can be found.
    public static func probe(_ address: String, port: Int, timeout: Double = 0.5) -> Int? {
        guard let info = try? resolve(address, port: port) else { return nil }
        let fd = socket(info.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var storage = info.address
        let connected = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, info.length) }
        }
        if connected != 0 {
            guard errno == EINPROGRESS else { return nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, Int32(timeout * 1000)) == 1 else { return nil }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0, code == 0 else { return nil }
        }
        return try? localPort(of: fd)
    }

    /// Whether this machine can bind TCP on ::1.
    public static var hasIPv6Loopback: Bool {
        guard let (fd, _) = try? boundSocket("::1", port: 0) else { return false }
        close(fd)
        return true
    }

    /// A socket bound to `address:port` (not listening yet) and its family.
    static func boundSocket(_ address: String, port: Int) throws -> (Int32, Int32) {
        let info = try resolve(address, port: port)
        let fd = socket(info.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var storage = info.address
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, info.length) }
        }
        guard bound == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "bind \(address):\(port): \(why)")
        }
        return (fd, info.family)
    }

    static func localPort(of fd: Int32) throws -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { throw Failure(description: "getsockname: \(String(cString: strerror(errno)))") }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    private struct Resolved {
        var family: Int32
        var address: sockaddr_storage
        var length: socklen_t
    }

    /// A numeric address (IPv4 or IPv6) and port as a socket address.
    private static func resolve(_ address: String, port: Int) throws -> Resolved {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(address, String(port), &hints, &list)
        guard rc == 0, let first = list else { throw Failure(description: "bad address \(address): \(String(cString: gai_strerror(rc)))") }
        defer { freeaddrinfo(list) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        return Resolved(family: first.pointee.ai_family, address: storage, length: first.pointee.ai_addrlen)
    }
}

/// A TCP listener that the kernel completes connections for but that never accepts or says a
/// word: an SSH handshake against it can only time out.
public final class SilentListener {
    public let address: String
    public let port: Int
    private let fd: Int32

    public init(address: String = "127.0.0.1", backlog: Int32 = 16) throws {
        self.address = address
        let (fd, _) = try Loopback.boundSocket(address, port: 0)
        guard listen(fd, backlog) == 0 else {
            close(fd)
            throw Loopback.Failure(description: "listen: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        port = try Loopback.localPort(of: fd)
    }

    deinit { close(fd) }

    /// Connects (and hangs up) until the kernel's accept queue is full, so that the next SYN is
    /// dropped and a TCP connect can only time out. Whether the queue filled (at most 256 tries).
    public func fillBacklog() -> Bool {
        for _ in 0..<256 where Loopback.probe(address, port: port, timeout: 0.3) == nil { return true }
        return false
    }
}
