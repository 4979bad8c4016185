/// One output stream cut into lines as its bytes arrive in arbitrary chunks. A line is
/// handed out without its "\n" and without a "\r" before it; a line longer than `limit`
/// bytes is handed out in pieces, so a stream without newlines cannot grow memory without end.
struct LineBuffer {
    static let limit = 1 << 20
    private var pending: [UInt8] = []

    /// Appends `chunk`; calls `line` for each line it completes.
    mutating func append(_ chunk: UnsafeRawBufferPointer, line: (String) -> Void) {
        var start = 0
        while start < chunk.count {
            guard let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                pending.append(contentsOf: chunk[start...])
                if pending.count >= Self.limit { line(Self.text(pending[...])); pending.removeAll() }
                return
            }
            if pending.isEmpty {
                line(Self.text(chunk[start..<newline]))
            } else {
                pending.append(contentsOf: chunk[start..<newline])
                line(Self.text(pending[...]))
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
    }

    /// The last line if the stream did not end with "\n".
    mutating func finish() -> String? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        return Self.text(pending[...])
    }

    private static func text<C: BidirectionalCollection>(_ bytes: C) -> String where C.Element == UInt8 {
        if bytes.last == UInt8(ascii: "\r") { return String(decoding: bytes.dropLast(), as: UTF8.self) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
