import Foundation

/// A temp folder removed when the test lets go of it.
final class TempFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "slipway-deploy-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relative: String, _ text: String, executable: Bool = false) {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
        if executable { chmod(full, 0o755) }
    }

    func read(_ relative: String) -> String { (try? String(contentsOfFile: path + "/" + relative, encoding: .utf8)) ?? "" }
}

/// True when no process `pid` runs (gone, or a zombie waiting for its parent).
func isDead(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    guard let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(close, offsetBy: 2)] == "Z"
}

/// Waits until `pid` has exited (gone or a zombie), checking /proc in a bounded
/// loop: a SIGKILLed process still runs its exit path for a moment after the
/// signal is sent. False if it is still alive after `limit` (it was not killed).
func becomesDead(_ pid: Int32, within limit: Duration = .seconds(10)) -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if isDead(pid) { return true }
        usleep(1000)
    }
    return isDead(pid)
}
