/// A parsed deploy.yml. The migration commands read its `database` section;
/// the deploy pipeline adds targets and steps.
public struct DeploySpec: Sendable, Equatable {
    /// The file it was read from.
    public var file: String
    public var app: String?
    public var database = DatabaseSettings()

    public init(file: String) { self.file = file }

    /// The folder the file is in: relative paths of the local target start there.
    public var folder: String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }
}
