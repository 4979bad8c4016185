#if canImport(Glibc)
import Glibc
#endif

/// Who runs a deploy: what the lock and the journal say about it.
public struct Identity: Sendable, Codable, Equatable {
    public var user: String
    public var host: String
    public var pid: Int32
    /// The command line, masked.
    public var command: String

    public init(user: String, host: String, pid: Int32, command: String) {
        self.user = user
        self.host = host
        self.pid = pid
        self.command = command
    }

    /// This process.
    public static func current(command: String) -> Identity {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        let user = loginName ?? "uid \(geteuid())"
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Identity(user: user, host: host, pid: getpid(), command: command)
    }

    /// Whoever runs slipway: `$USER`, else the password database's name for the user id.
    public static var loginName: String? {
        getenv("USER").map { String(cString: $0) }
            ?? getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } }
    }
}

/// Wall-clock time as Unix milliseconds and as text.
public enum WallClock {
    public static func milliseconds() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000
    }

    /// `2026-11-25 00:25:11 UTC`, for people.
    public static func text(_ ms: Int64) -> String { utc(ms) { "\($0)-\($1)-\($2) \($3):\($4):\($5) UTC" } }

    /// `2026-11-25 00:25:11`, under a header that says UTC.
    public static func plainText(_ ms: Int64) -> String { utc(ms) { "\($0)-\($1)-\($2) \($3):\($4):\($5)" } }

    /// `2026-11-25T00:25:11Z` (RFC 3339, UTC): the one time format of every `--json`.
    public static func rfc3339(_ ms: Int64) -> String { utc(ms) { "\($0)-\($1)-\($2)T\($3):\($4):\($5)Z" } }

    /// A deploy id that sorts by time: `20261125T002511Z-3f9a`.
    public static func deployID(_ ms: Int64) -> String {
        let stamp = utc(ms) { "\($0)\($1)\($2)T\($3)\($4)\($5)Z" }
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return stamp + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }

    /// The UTC year, month, day, hour, minute and second of `ms`, zero-padded, put together by `format`.
    private static func utc(_ ms: Int64, _ format: (String, String, String, String, String, String) -> String) -> String {
        var t = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return format("\(parts.tm_year + 1900)", pad(parts.tm_mon + 1), pad(parts.tm_mday), pad(parts.tm_hour), pad(parts.tm_min), pad(parts.tm_sec))
    }
}
