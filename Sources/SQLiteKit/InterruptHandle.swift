import CSQLite

/// Stops a connection's running statement from another thread (`sqlite3_interrupt`,
/// which SQLite documents as safe to call from any thread). Valid while its
/// `Connection` is open; the owner detaches it before closing.
public final class InterruptHandle: @unchecked Sendable {
    let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    public func interrupt() { sqlite3_interrupt(handle) }
}

extension Connection {
    public var interruptHandle: InterruptHandle { InterruptHandle(handle) }
}
