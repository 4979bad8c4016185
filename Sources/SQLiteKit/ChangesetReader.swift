/// Walks a changeset's bytes (format: the "changeset format" comment in sqlite3session.h).
struct ChangesetReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var atEnd: Bool { i >= bytes.count }

    mutating func byte() throws(SQLiteError) -> UInt8 {
        guard i < bytes.count else { throw SQLiteError(code: 11, message: "changeset ends early") }  // SQLITE_CORRUPT
        defer { i += 1 }
        return bytes[i]
    }

    /// SQLite's varint: 7 bits a byte, high bit set on all but the last; a ninth byte gives 8 bits.
    mutating func varint() throws(SQLiteError) -> Int {
        var v = 0
        for n in 0..<9 {
            let b = try byte()
            if n == 8 { return (v << 8) | Int(b) }
            v = (v << 7) | Int(b & 0x7F)
            if b & 0x80 == 0 { break }
        }
        return v
    }

    mutating func skipValue() throws(SQLiteError) { _ = try value() }

    /// Reads past one value (type byte and payload) and returns where it was.
    mutating func value() throws(SQLiteError) -> Range<Int> {
        let start = i
        switch try byte() {
        case 0, 5: break                                 // undefined, NULL
        case 1, 2: i += 8                                // integer, real: 8 bytes big-endian
        case 3, 4: let n = try varint(); i += n          // text, blob: length then bytes
        default: throw SQLiteError(code: 11, message: "changeset holds an unknown value type")
        }
        guard i <= bytes.count else { throw SQLiteError(code: 11, message: "changeset ends early") }
        return start..<i
    }
}
