import Synchronization
import SQLiteKit

/// Lets another thread (a Ctrl-C handler) stop a migration run: the running
/// statement is interrupted, its migration rolled back and left unrecorded.
public final class Cancellation: Sendable {
    private let state = Mutex<(cancelled: Bool, handle: InterruptHandle?)>((false, nil))

    public init() {}

    public func cancel() {
        let handle = state.withLock { state in
            state.cancelled = true
            return state.handle
        }
        handle?.interrupt()
    }

    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// The connection to interrupt from now on (nil to detach before closing it).
    func attach(_ handle: InterruptHandle?) {
        let cancelled = state.withLock { state in
            state.handle = handle
            return state.cancelled
        }
        if cancelled { handle?.interrupt() }
    }
}
