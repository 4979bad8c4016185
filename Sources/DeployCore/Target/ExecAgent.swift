import MigrationCore
#if canImport(Glibc)
import Glibc
#endif

/// The host's side of a remote step (`slipway agent exec [--timeout T] -- ARGV…`): runs
/// the step with `LocalExecutor` there, so a remote step gets what a local one gets — its
/// own process group, its time limit enforced on the host (SIGTERM, then SIGKILL) — and is
/// stopped when its SSH channel's stdin closes: on Ctrl-C (the SSH layer sends EOF) and
/// when the connection dies, so no step outlives the deploy that started it.
///
/// Its output is the step's; how the step ended comes last, as one line `ExecAgent.marker`
/// + JSON on stdout, which `SSHExecutor` reads and removes.
public enum ExecAgent {
    public static let marker = "\u{1E}slipway-exec "

    public struct Ending: Sendable, Codable, Equatable {
        public var exited: Int32?
        public var signal: Int32?
        public var timedOut: Double?
        public var interrupted: Bool?
        public var notStarted: String?

        public init(_ termination: ExecutionResult.Termination) {
            switch termination {
            case .exited(let c): exited = c
            case .signaled(let s): signal = s
            case .timedOut(let s): timedOut = s
            case .interrupted: interrupted = true
            case .notStarted(let why), .lost(let why): notStarted = why
            }
        }

        /// How the step ended, with its own time limit.
        public func termination(timeout: Double?) -> ExecutionResult.Termination {
            if let c = exited { return .exited(c) }
            if let s = signal { return .signaled(s) }
            if let t = timedOut { return .timedOut(seconds: timeout ?? t) }
            if interrupted == true { return .interrupted }
            return .notStarted(notStarted ?? "unknown")
        }
    }

    /// Runs `command` and returns the exit status to end with.
    public static func run(_ command: Command, write: @escaping (String) -> Void) -> Int32 {
        let executor = LocalExecutor()
        // stdin closing is the deploy saying "stop" (or gone): cancel, then cancel again (SIGKILL) after the grace period.
        let watcher = Worker {
            var byte: UInt8 = 0
            while true {
                let n = read(0, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
            }
            executor.cancel()
        }
        _ = watcher  // ends with the process
        let result = executor.run(command) { write($0) }
        let ending = Ending(result.termination)
        write(marker + AgentCoding.encode(ending))
        return switch result.termination {
        case .exited(let c): c
        case .signaled(let s): 128 + s
        case .timedOut: 124
        case .interrupted: 130
        case .notStarted, .lost: 127
        }
    }

    /// The result an ending line describes.
    static func result(_ line: String, timeout: Double?) -> ExecutionResult.Termination? {
        guard line.hasPrefix(marker), let e = AgentCoding.decode(Ending.self, String(line.dropFirst(marker.count))) else { return nil }
        return e.termination(timeout: timeout)
    }
}
