import ArgumentParser
import DeployCore

extension CompletionKind {
    /// The target names of deploy.yml (or of the `--config` typed so far), so a shell
    /// completes `slipway deploy TARGET`. Nothing when the spec cannot be read: a
    /// completion never prints an error into the user's prompt.
    static var targets: CompletionKind {
        .custom { words, _, prefix in
            let spec = try? loadSpec(config(in: words))
            return (spec?.targets.map(\.name) ?? []).filter { $0.hasPrefix(prefix) }
        }
    }

    /// The value of `--config PATH` or `--config=PATH` among the words typed.
    static func config(in words: [String]) -> String? {
        for (i, word) in words.enumerated() {
            if word.hasPrefix("--config=") { return String(word.dropFirst("--config=".count)) }
            if word == "--config", i + 1 < words.count { return words[i + 1] }
        }
        return nil
    }
}
