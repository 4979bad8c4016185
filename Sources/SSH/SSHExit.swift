/// How a remote command ended.
public enum SSHExit: Sendable, Equatable {
    /// The command reported its exit status (SSH "exit-status").
    case exited(Int32)
    /// The command was killed by a signal: its name as the server sends it, without "SIG" ("KILL", "TERM").
    case signaled(String)
    /// `timeout` passed; the channel was closed after the grace period (or the command ended during it).
    case timedOut
    /// `SSHSession.cancel()` stopped it and the command did not report its own exit within the grace period.
    case cancelled
}
