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
    /// The file's bytes, parsed only when the migration is going to run (or be validated):
    /// a no-op run over a thousand applied files needs their checksums, nothing more.
    public var bytes: [UInt8]

    public init(filename: String, path: String, bytes: [UInt8]) {
        self.filename = filename
        self.path = path
        let digits = filename.prefix { $0.isASCII && $0.isNumber }
        self.number = digits.isEmpty ? nil : String(digits)
        self.checksum = Self.checksum(of: bytes)
        self.bytes = bytes
    }

    /// The file's sections; fails on bad `-- migrate:` markers, with their line.
    public func parse() throws(MigrationError) -> MigrationSource {
        try MigrationSource(parsing: String(decoding: bytes, as: UTF8.self), file: path)
    }

    public static func checksum(of bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The number's value, so `01` and `1` count as the same number.
    public var numericValue: UInt64? {
        guard let number else { return nil }
        let trimmed = number.drop { $0 == "0" }
        return trimmed.isEmpty ? 0 : UInt64(trimmed)
    }
}
