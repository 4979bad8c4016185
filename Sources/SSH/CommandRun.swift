/// One `SSHSession.run`: streams both output streams while it writes `input`, and stops the
/// command on `timeout` or `cancel()` the only ways libssh2 1.10 has: EOF on its stdin (the
/// remote command is asked to stop), then, after `grace`, closing the channel. There is no
/// libssh2_channel_signal before libssh2 1.11, so a command that ignores both keeps running on
/// the host after its channel was given up.
struct CommandRun {
    let connection: Connection
    let command: String
    let input: [UInt8]
    /// Keep stdin open after `input` until the command ends, times out or is cancelled.
    let holdStdin: Bool
    let timeout: Double?
    let grace: Double

    private enum Stop { case timedOut, cancelled }

    func run(output: (SSHOutputLine) -> Void) throws(SSHError) -> SSHExit {
        if connection.isCancelled { return .cancelled }
        let channel = try ExecChannel.start(command, on: connection)
        defer { channel.free() }
        let timeoutAt = timeout.map { ContinuousClock.now + .seconds($0) }
        var stop: Stop?
        var graceEnds: ContinuousClock.Instant?
        var written = 0
        var closedByServer = false

        while true {
            var progressed = try channel.pump(output)
            if !channel.eofSent {
                if stop == nil && written < input.count {
                    let n = try channel.write(input[written...])
                    written += n
                    progressed = progressed || n > 0
                }
                if stop != nil || (written == input.count && !holdStdin) {
                    try channel.sendEOF()
                    progressed = true
                }
            }
            if channel.remoteEOF, try channel.closedByServer() {
                closedByServer = true
                break
            }
            let now = ContinuousClock.now
            if stop == nil, let timeoutAt, now >= timeoutAt {
                stop = .timedOut
                graceEnds = now + .seconds(grace)
                continue
            }
            if stop == nil, connection.isCancelled {
                stop = .cancelled
                graceEnds = now + .seconds(grace)
                continue
            }
            if let graceEnds, now >= graceEnds { break }
            if !progressed {
                let deadline = [stop == nil ? timeoutAt : nil, graceEnds].compactMap { $0 }.min()
                try connection.wait(until: deadline, command: command)
            }
        }

        guard closedByServer else {
            channel.abandon()
            return stop == .timedOut ? .timedOut : .cancelled
        }
        let exit = try channel.finish()
        // Ended within the grace period: a timed-out command is still reported as timed out;
        // a cancelled one that reported its own exit status is reported with it.
        return stop == .timedOut ? .timedOut : exit
    }
}
