#if canImport(Glibc)
import Glibc
#endif

/// The TCP half of a connection: getaddrinfo, then a non-blocking connect(2) to each address
/// in turn until one answers or the deadline passes.
enum TCPConnection {
    /// A connected, non-blocking, close-on-exec socket to `endpoint`.
    ///
    /// getaddrinfo with AF_UNSPEC gives IPv4 and IPv6 addresses ("::1" works as a host); it
    /// blocks and is not bounded by the deadline (a slow resolver is rare next to a slow host).
    static func connect(_ endpoint: SSHEndpoint, deadline: ContinuousClock.Instant, timeout: Double) throws(SSHError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        // No AI_ADDRCONFIG: it hides ::1 on a machine whose only IPv6 address is loopback.
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard rc == 0 else {
            throw SSHError(.cannotResolve(String(cString: gai_strerror(rc))), endpoint: endpoint)
        }
        defer { freeaddrinfo(list) }

        var failure = SSHError(.cannotResolve("no address"), endpoint: endpoint)
        var address = list
        while let info = address {
            address = info.pointee.ai_next
            switch attempt(info.pointee, deadline: deadline) {
            case .success(let fd):
                return fd
            case .failure(let e) where e.code == ECONNREFUSED:
                failure = SSHError(.connectionRefused, endpoint: endpoint)
            case .failure(let e) where e.code == ETIMEDOUT:
                throw SSHError(.timedOut(.tcpConnect, seconds: timeout), endpoint: endpoint)
            case .failure(let e):
                failure = SSHError(.unreachable(String(cString: strerror(e.code))), endpoint: endpoint)
            }
        }
        throw failure
    }

    private struct Errno: Error { var code: Int32 }

    /// One address: the socket, or the errno that stopped it (ETIMEDOUT when the deadline passed).
    private static func attempt(_ info: addrinfo, deadline: ContinuousClock.Instant) -> Result<Int32, Errno> {
        let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), info.ai_protocol)
        guard fd >= 0 else { return .failure(Errno(code: errno)) }
        var one: Int32 = 1
        // Small channel writes (one line to a lock holder) go out at once instead of waiting for Nagle.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return .success(fd) }
        guard errno == EINPROGRESS else {
            let code = errno
            close(fd)
            return .failure(Errno(code: code))
        }
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                close(fd)
                return .failure(Errno(code: ETIMEDOUT))
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&pfd, 1, Poller.milliseconds(left))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
            if code == 0 { return .success(fd) }
            close(fd)
            // A connect timed out by the kernel is still a timeout; keep it apart from "refused".
            return .failure(Errno(code: code))
        }
    }
}
