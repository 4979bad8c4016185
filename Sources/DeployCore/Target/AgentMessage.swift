#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The lines slipway's agent on a target and the deploy talk in (`slipway agent lock`):
/// one JSON object per line each way. The agent holds the target's deploy lock and
/// writes its journal, so both work the same on this machine and over SSH.
public struct AgentRequest: Sendable, Codable, Equatable {
    public enum Operation: String, Sendable, Codable { case append, journal, preflight, revision, run, cancel, release }

    public var op: Operation
    /// For `append`: the journal line, and whether to flush it to disk.
    public var entry: JournalEntry?
    public var sync: Bool?
    /// For `preflight`: what the plan needs of the target.
    public var needs: Preflight.Needs?
    /// For `run`: the step's command, its values revealed (they travel on the channel only).
    public var command: WireCommand?

    public init(op: Operation, entry: JournalEntry? = nil, sync: Bool? = nil, needs: Preflight.Needs? = nil,
                command: WireCommand? = nil) {
        self.op = op
        self.entry = entry
        self.sync = sync
        self.needs = needs
        self.command = command
    }
}

/// A `Command` as the agent runs it: argv, environment, folder and time limit.
public struct WireCommand: Sendable, Codable, Equatable {
    public var argv: [String]
    /// Words of `argv` below the home folder of whoever runs them (`Command.Word.home`):
    /// resolved where the command runs, with that user's `$HOME`.
    public var home: [Int]?
    public var env: [[String]]
    public var cwd: String?
    public var timeout: Double?

    public init(_ command: Command) {
        var homes: [Int] = []
        argv = command.words.enumerated().map { i, word in
            if case .home(let path) = word { homes.append(i); return path }
            return word.value
        }
        home = homes.isEmpty ? nil : homes
        env = command.env.map { [$0.name, $0.value.value] }
        cwd = command.workingDirectory
        timeout = command.timeout
    }

    public var command: Command {
        let homes = Set(home ?? [])
        let words: [Command.Word] = argv.enumerated().map { homes.contains($0) ? .home($1) : .text($1) }
        return Command(words, env: env.compactMap { $0.count == 2 ? Command.Variable($0[0], .secret($0[1])) : nil },
                       workingDirectory: cwd, timeout: timeout)
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
    /// For `run`: a line of the step's output, and at its end how it ended.
    public var out: String?
    public var ending: ExecAgent.Ending?

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
