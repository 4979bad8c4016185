/// Replaces values taken from the environment with `***` in free text: step
/// output, error messages, the journal.
///
/// Values shorter than three characters are not masked in free text (a `1`
/// would turn every digit of the output into `***`); they are still masked as
/// command words, where whole values are known.
public struct Masker: Sendable, Equatable {
    public let secrets: [String]

    public init(secrets: [String]) {
        // Longest first, so a secret that contains another is masked whole.
        self.secrets = Set(secrets.filter { $0.count >= 3 }).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    public func mask(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: "***")
        }
        return result
    }
}
