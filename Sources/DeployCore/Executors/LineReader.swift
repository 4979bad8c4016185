#if canImport(Glibc)
import Glibc
#endif

/// Lines from a descriptor (a pipe, stdin), without Foundation's buffering: the agent's
/// requests and the local agent's replies.
struct LineReader {
    let fd: Int32
    private var pending: [UInt8] = []
    private var eof = false

    init(fd: Int32) { self.fd = fd }

    enum Next: Equatable {
        case line(String)
        /// No whole line within the time limit; the reader goes on.
        case timedOut
        /// End of input, with what came after the last newline.
        case ended(String)
    }

    /// The next line; nil at the end of input.
    mutating func next() -> String? {
        if case .line(let line) = next(timeout: nil) { return line }
        return nil
    }

    /// The next line, waiting at most `timeout` seconds (nil: as long as it takes).
    mutating func next(timeout: Double?) -> Next {
        let deadline = timeout.map { Clock.now() + $0 }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return .line(line)
            }
            if eof { return .ended(String(decoding: pending, as: UTF8.self)) }
            if let deadline {
                let left = deadline - Clock.now()
                guard left > 0 else { return .timedOut }
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&p, 1, Int32((left * 1000).rounded(.up)))
                if ready <= 0 { continue }  // EINTR, or the time ran out (checked above)
            }
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { eof = true; continue }
            pending += buffer[0..<n]
        }
    }
}
