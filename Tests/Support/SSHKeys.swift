import Foundation

/// Key pairs made with ssh-keygen for the SSH tests, in OpenSSH's own format.
public enum SSHKeys {
    /// Writes a new key pair to `path` and `path.pub` (ssh-keygen -t `type`, `-N passphrase`)
    /// and returns the public key line ("ssh-ed25519 AAAA… comment").
    @discardableResult
    public static func generate(_ path: String, type: String = "ed25519", passphrase: String = "", comment: String = "slipway-test") throws -> String {
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".pub")
        let result = try Spawned.run(
            ["ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", comment, "-f", path], environment: Spawned.environment([:]))
        guard result.status == 0 else { throw Spawned.Failure(description: "ssh-keygen failed: \(result.output)") }
        return try publicKey(path + ".pub")
    }

    /// "type base64" of a .pub file, without its comment.
    public static func publicKey(_ pubFile: String) throws -> String {
        let text = try String(contentsOfFile: pubFile, encoding: .utf8)
        return text.split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// The fingerprint OpenSSH prints for a key ("SHA256:…"), from `ssh-keygen -l`.
    public static func fingerprint(_ pubFile: String) throws -> String {
        let result = try Spawned.run(["ssh-keygen", "-l", "-E", "sha256", "-f", pubFile], environment: Spawned.environment([:]))
        guard result.status == 0, let field = result.output.split(separator: " ").dropFirst().first else {
            throw Spawned.Failure(description: "ssh-keygen -l failed: \(result.output)")
        }
        return String(field)
    }
}
