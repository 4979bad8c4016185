import Foundation

/// What can be told about a private key file before libssh2 reads it, so that a missing
/// passphrase is reported as such rather than as libssh2's "Unable to extract public key from
/// private key file: Wrong passphrase or invalid/unrecognized private key file format".
enum KeyFile {
    enum State: Equatable {
        case plain
        case encrypted
        case unreadable(String)
    }

    /// OpenSSH's format ("-----BEGIN OPENSSH PRIVATE KEY-----", ssh-keygen's default) is
    /// "openssh-key-v1\0" followed by the cipher name, "none" when not encrypted
    /// (PROTOCOL.key in OpenSSH's sources). PEM keys say "Proc-Type: 4,ENCRYPTED" or
    /// "BEGIN ENCRYPTED PRIVATE KEY".
    static func inspect(_ path: String) -> State {
        guard FileManager.default.fileExists(atPath: path) else { return .unreadable("no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable("cannot be read") }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("BEGIN ENCRYPTED PRIVATE KEY") { return .encrypted }
        let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
        guard let start = text.range(of: begin),
            let end = text.range(of: "-----END OPENSSH PRIVATE KEY-----", range: start.upperBound..<text.endIndex),
            let blob = Data(base64Encoded: String(text[start.upperBound..<end.lowerBound]), options: .ignoreUnknownCharacters)
        else { return .plain }
        let bytes = [UInt8](blob)
        let magic = Array("openssh-key-v1\0".utf8)
        guard bytes.count > magic.count + 4, Array(bytes.prefix(magic.count)) == magic else { return .plain }
        let lengthBytes = bytes[magic.count..<magic.count + 4]
        let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
        let nameStart = magic.count + 4
        guard length > 0, nameStart + length <= bytes.count else { return .plain }
        let cipher = String(decoding: bytes[nameStart..<nameStart + length], as: UTF8.self)
        return cipher == "none" ? .plain : .encrypted
    }
}
