#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The lines slipway's agent on a target and the deploy talk in (`slipway agent lock`):
/// one JSON object per line each way. The agent holds the target's deploy lock and
/// writes its journal, so both work the same on this machine and over SSH.
public struct AgentRequest: Sendable, Codable, Equatable {
    public enum Operation: String, Sendable, Codable { case append, journal, preflight, revision, release }

    public var op: Operation
    /// For `append`: the journal line, and whether to flush it to disk.
    public var entry: JournalEntry?
    public var sync: Bool?
    /// For `preflight`: what the plan needs of the target.
    public var needs: Preflight.Needs?

    public init(op: Operation, entry: JournalEntry? = nil, sync: Bool? = nil, needs: Preflight.Needs? = nil) {
        self.op = op
        self.entry = entry
        self.sync = sync
        self.needs = needs
    }
}

public struct AgentReply: Sendable, Codable, Equatable {
    public enum Failure: String, Sendable, Codable { case path, held, stale, failed, journal, request }

    public var ok: Bool
    public var error: Failure?
    public var message: String?
    public var holder: DeployLock.Holder?
    /// For `journal`: every line of the target's journal, oldest first.
    public var entries: [JournalEntry]?
    /// For `slipway agent state`: the lock's holder and whether it is stale.
    public var locked: Bool?
    public var stale: Bool?
    /// For `preflight`: the checks, in order.
    public var checks: [Preflight.Check]?
    /// For `revision`: the target's `HEAD` (nil when it is not a git work tree).
    public var revision: String?

    public init(ok: Bool, error: Failure? = nil, message: String? = nil) {
        self.ok = ok
        self.error = error
        self.message = message
    }
}

public enum AgentCoding {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"ok":false,"error":"request"}"#
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ line: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(line.utf8))
    }
}
