import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Runs `handler` on a background queue when one of `signals` arrives, instead of
/// the default of dying mid-statement. `restore()` puts the defaults back.
final class SignalTrap {
    private let sources: [DispatchSourceSignal]
    private let signals: [Int32]

    init(_ signals: [Int32], handler: @escaping @Sendable () -> Void) {
        self.signals = signals
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func restore() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
