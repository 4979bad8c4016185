/// A command kept running on its own channel while other commands run on the same session,
/// talked to line by line: a lock holder that reads requests on stdin and answers on stdout.
/// Made by `SSHSession.open`; used from one thread at a time, like its session.
///
/// stdout is read as lines by `readLine`; stderr is read along with it (an unread stream would
/// use up the channel's window and stall the command) and kept in `errorLines`.
public final class SSHChannel {
    private let channel: ExecChannel
    private var ready: [String] = []
    private var closed = false
    /// The last lines the command wrote to stderr (at most `errorLineLimit`).
    public private(set) var errorLines: [String] = []
    public static let errorLineLimit = 100

    init(_ channel: ExecChannel) {
        self.channel = channel
    }

    deinit {
        if !closed { channel.abandon() }
    }

    public var command: String { channel.command }

    /// Writes all of `bytes` to the command's stdin, waiting for the channel's window as needed.
    public func write(_ bytes: [UInt8]) throws(SSHError) {
        try checkOpen()
        var written = 0
        while written < bytes.count {
            _ = try drain()
            if channel.remoteEOF, try channel.closedByServer() {
                throw SSHError(.channelFailed("the command ended before it read all its input"), endpoint: channel.connection.endpoint, command: command)
            }
            let n = try channel.write(bytes[written...])
            written += n
            if n == 0 { try channel.connection.wait(until: nil, command: command) }
        }
    }

    /// The next line of stdout without its "\n", nil at EOF. `timeout` (seconds, nil: no limit)
    /// throws `.readTimedOut`. `SSHSession.cancel()` stops the running `run`, not this channel:
    /// a channel kept open beside the commands (a lock holder, a journal writer) is how the
    /// caller records that they were stopped, so it keeps working.
    public func readLine(timeout: Double?) throws(SSHError) -> String? {
        try checkOpen()
        let deadline = timeout.map { ContinuousClock.now + .seconds($0) }
        while true {
            if !ready.isEmpty { return ready.removeFirst() }
            let progressed = try drain()
            if !ready.isEmpty { return ready.removeFirst() }
            if channel.remoteEOF { return nil }
            if let deadline, ContinuousClock.now >= deadline {
                throw SSHError(.readTimedOut(seconds: timeout ?? 0), endpoint: channel.connection.endpoint, command: command)
            }
            if !progressed { try channel.connection.wait(until: deadline, command: command) }
        }
    }

    /// EOF on the command's stdin: a command reading lines sees its input end.
    public func sendEOF() throws(SSHError) {
        try checkOpen()
        try channel.sendEOF()
    }

    /// Sends EOF, waits for the command to end (reading and keeping what it still writes), and
    /// returns how it ended. With `grace` (seconds), a command still running after it is left
    /// behind: the channel is closed and the result is `.timedOut`.
    public func close(grace: Double? = nil) throws(SSHError) -> SSHExit {
        try checkOpen()
        closed = true
        try channel.sendEOF()
        let deadline = grace.map { ContinuousClock.now + .seconds($0) }
        while true {
            let progressed = try drain()
            if channel.remoteEOF, try channel.closedByServer() { break }
            if let deadline, ContinuousClock.now >= deadline {
                channel.abandon()
                return .timedOut
            }
            if !progressed { try channel.connection.wait(until: deadline, command: command) }
        }
        defer { channel.free() }
        return try channel.finish()
    }

    private func drain() throws(SSHError) -> Bool {
        try channel.pump { line in
            if line.isError {
                errorLines.append(line.text)
                if errorLines.count > Self.errorLineLimit { errorLines.removeFirst() }
            } else {
                ready.append(line.text)
            }
        }
    }

    private func checkOpen() throws(SSHError) {
        let connection = channel.connection
        if closed || connection.isClosed {
            throw SSHError(closed ? .channelFailed("the channel is closed") : .sessionClosed, endpoint: connection.endpoint, command: command)
        }
    }
}
