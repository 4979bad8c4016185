import MigrationCore

/// Runs one piece of work per host, `parallel` at a time, each on a thread of its
/// own (a host's SSH session is driven from one thread). Once a host fails, no new
/// host starts: those keep their `nil` result, "untouched".
public struct Fleet: Sendable {
    public var places: [Place]
    public var parallel: Int

    public init(places: [Place], parallel: Int) {
        self.places = places
        self.parallel = max(1, parallel)
    }

    /// `work` returns whether the host succeeded, and its result. Results come back in `places` order.
    public func run<R: Sendable>(_ work: @escaping @Sendable (Int, Place) -> (ok: Bool, result: R)) -> [R?] {
        let places = self.places
        return WorkPool(count: places.count, parallel: parallel).run { index in work(index, places[index]) }
    }
}
