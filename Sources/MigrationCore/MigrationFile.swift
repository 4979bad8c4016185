import Crypto

/// One `*.sql` file of the migrations folder, read and parsed.
public struct MigrationFile: Sendable, Equatable {
    /// The file's name, e.g. `003_create_sessions.sql`: the key in the tracking table.
    public var filename: String
    public var path: String
    /// Leading decimal digits of the name (`"003"`), nil for an unnumbered name.
    public var number: String?
    /// Lowercase hex SHA-256 of the file's bytes, as recorded in the tracking table.
    public var checksum: String
    public var source: MigrationSource

    public init(filename: String, path: String, bytes: [UInt8]) throws(MigrationError) {
        self.filename = filename
        self.path = path
        let digits = filename.prefix { $0.isASCII && $0.isNumber }
        self.number = digits.isEmpty ? nil : String(digits)
        self.checksum = Self.checksum(of: bytes)
        self.source = try MigrationSource(parsing: String(decoding: bytes, as: UTF8.self), file: path)
    }

    public static func checksum(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The number's value, so `01` and `1` count as the same number.
    public var numericValue: UInt64? {
        guard let number else { return nil }
        let trimmed = number.drop { $0 == "0" }
        return trimmed.isEmpty ? 0 : UInt64(trimmed)
    }
}
