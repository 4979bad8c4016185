import CSQLite

final class ProgressBox {
    let handler: () -> Bool
    init(_ handler: @escaping () -> Bool) { self.handler = handler }
}

extension Connection {
    /// Calls `handler` about every `instructions` virtual-machine steps while a
    /// statement runs (`sqlite3_progress_handler`). Returning true interrupts it.
    /// Pass nil to remove the handler.
    public func setProgressHandler(every instructions: Int32, _ handler: (() -> Bool)?) {
        guard let handler else {
            sqlite3_progress_handler(handle, 0, nil, nil)
            progress = nil
            return
        }
        let box = ProgressBox(handler)
        progress = box
        sqlite3_progress_handler(handle, instructions, { ctx in
            guard let ctx else { return 0 }
            return Unmanaged<ProgressBox>.fromOpaque(ctx).takeUnretainedValue().handler() ? 1 : 0
        }, Unmanaged.passUnretained(box).toOpaque())
    }
}
