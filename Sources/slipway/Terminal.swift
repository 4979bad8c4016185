#if canImport(Glibc)
import Glibc
#endif

/// A standard stream, with colour only on a terminal and never under `NO_COLOR`.
/// Writes go straight to the file descriptor, so stdout and stderr never interleave out of order.
struct Terminal: Sendable {
    let fd: Int32
    /// Asked once: a line-by-line `isatty` shows up in a thousand-line run.
    let isTTY: Bool
    let colors: Bool

    init(fd: Int32) {
        self.fd = fd
        isTTY = isatty(fd) == 1
        colors = isTTY && getenv("NO_COLOR") == nil && getenv("TERM").map { String(cString: $0) } != "dumb"
    }

    static let standardOutput = Terminal(fd: 1)
    static let standardError = Terminal(fd: 2)

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ data: [UInt8]) {
        var bytes = data[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }

    enum Color: String {
        case red = "31", green = "32", yellow = "33", dim = "2", bold = "1"
    }

    func paint(_ text: String, _ color: Color) -> String {
        colors ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }
}
