#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// deploy.yml read from disk, with the `.env` beside it feeding `${VAR}`.
public enum SpecFile {
    /// `environment` defaults to this process's; it wins over `.env`.
    public static func load(_ path: String, environment: [String: String]? = nil) throws(SpecError) -> DeploySpec {
        guard let text = read(path) else {
            throw SpecError(file: path, message: "cannot read the deploy spec: \(String(cString: strerror(errno)))")
        }
        var variables = environment ?? SpecLoader.processEnvironment()
        let dotEnv = envPath(besides: path)
        if access(dotEnv, F_OK) == 0 {
            guard let envText = read(dotEnv) else {
                throw SpecError(file: dotEnv, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            variables = try DotEnv(text: envText, file: dotEnv).under(variables)
        }
        return try SpecLoader(environment: variables).load(text: text, file: path)
    }

    static func envPath(besides path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return ".env" }
        return String(path[...slash]) + ".env"
    }

    private static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
