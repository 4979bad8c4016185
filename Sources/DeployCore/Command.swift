#if canImport(Glibc)
import Glibc
#endif

/// A process to run, as data: argv words, extra environment, working directory
/// and time limit. Plans are lists of these; executors run them; dry-run and the
/// journal print them. Never a string built by concatenation: `render()` quotes
/// every word, so a path or branch name never becomes a command.
public struct Command: Sendable, Equatable {
    public enum Word: Sendable, Equatable {
        case text(String)
        /// A value from the environment (`${TOKEN}`): rendered as `***`.
        case secret(String)
        /// One word with secret parts, e.g. a `run:` line containing `${TOKEN}`.
        /// Only `.text` and `.secret` are expected inside.
        case pieces([Word])
        /// A path under the home folder of whoever runs the command (`.cache/slipway/…/slipway`
        /// on a host whose `$HOME` slipway does not know before it connects). The shell
        /// expands `"$HOME"` and nothing else: the path itself stays quoted.
        case home(String)

        /// The real text, to run with (a `home` path with this process's `$HOME`).
        public var value: String {
            switch self {
            case .text(let s), .secret(let s): s
            case .pieces(let parts): parts.map(\.value).joined()
            case .home(let path): Self.localHome + "/" + path
            }
        }

        /// The text with secret parts as `***`.
        public var masked: String {
            switch self {
            case .text(let s): s
            case .secret: "***"
            case .pieces(let parts): parts.map(\.masked).joined()
            case .home(let path): "~/" + path
            }
        }

        /// Shell text: quoted, a `home` path as `"$HOME"/'path'`.
        public func shell(revealing: Bool) -> String {
            if case .home(let path) = self { return #""$HOME"/"# + Command.quote(path) }
            return Command.quote(revealing ? value : masked)
        }

        static var localHome: String { getenv("HOME").map { String(cString: $0) } ?? "/" }
    }

    public struct Variable: Sendable, Equatable {
        public var name: String
        public var value: Word
        public init(_ name: String, _ value: Word) {
            self.name = name
            self.value = value
        }
    }

    public var words: [Word]
    public var env: [Variable]
    /// nil: the executor's current directory.
    public var workingDirectory: String?
    /// Seconds; nil for no limit.
    public var timeout: Double?

    public init(_ words: [Word], env: [Variable] = [], workingDirectory: String? = nil, timeout: Double? = nil) {
        self.words = words
        self.env = env
        self.workingDirectory = workingDirectory
        self.timeout = timeout
    }

    /// Plain words, none secret.
    public init(_ words: [String], env: [Variable] = [], workingDirectory: String? = nil, timeout: Double? = nil) {
        self.init(words.map(Word.text), env: env, workingDirectory: workingDirectory, timeout: timeout)
    }

    /// The argv to execute.
    public var arguments: [String] { words.map(\.value) }

    /// POSIX shell text of the words. Every word is quoted, so a path never becomes a command;
    /// secrets show as `***` unless `revealing`.
    public func render(revealing: Bool = false) -> String {
        words.map { $0.shell(revealing: revealing) }.joined(separator: " ")
    }

    /// The whole command as one shell line (`cd DIR && NAME=VALUE words`), for a remote shell.
    public func shellLine(revealing: Bool = false) -> String {
        var parts: [String] = []
        if let dir = workingDirectory { parts.append("cd \(Self.quote(dir)) &&") }
        for v in env { parts.append(v.name + "=" + v.value.shell(revealing: revealing)) }
        parts.append(render(revealing: revealing))
        return parts.joined(separator: " ")
    }

    /// Single quotes make every byte literal in POSIX sh; a quote inside becomes `'\''`.
    public static func quote(_ s: String) -> String {
        "'" + s.replacing("'", with: #"'\''"#) + "'"
    }
}
