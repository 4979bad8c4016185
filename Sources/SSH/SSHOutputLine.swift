/// One line of a remote command's output, without its "\n" (nor a "\r" before it).
/// Bytes that are not UTF-8 are replaced by U+FFFD.
public struct SSHOutputLine: Sendable, Equatable {
    public var text: String
    /// From the command's stderr (SSH extended data 1) rather than its stdout.
    public var isError: Bool

    public init(text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }
}
