import CSQLite

extension SQLScript {
    /// Offset of the first token at or after `offset`, past whitespace and comments.
    /// Used only to point error messages at a statement's first word.
    public func firstToken(from offset: Int) -> Int {
        var i = offset
        while i < count {
            let c = byte(i)
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
                i += 1
            } else if c == 0x2D, i + 1 < count, byte(i + 1) == 0x2D {  // -- to end of line
                while i < count && byte(i) != 0x0A { i += 1 }
            } else if c == 0x2F, i + 1 < count, byte(i + 1) == 0x2A {  // /* … */
                i += 2
                while i + 1 < count && !(byte(i) == 0x2A && byte(i + 1) == 0x2F) { i += 1 }
                i = min(i + 2, count)
            } else {
                break
            }
        }
        return i
    }

    /// 1-based line and column (in bytes) of a byte offset.
    public func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for i in 0..<min(offset, count) where byte(i) == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    /// The end of the statement that starts at `offset`: just past the first `;`
    /// that makes it complete by `sqlite3_complete`, or the end of the script.
    ///
    /// This is how SQLite's own shell finds statement ends; it needs no schema,
    /// so it serves dry-run counts and skipping a statement that failed to prepare.
    public func statementEnd(from offset: Int) -> Int {
        var text = Array(bytes[offset..<count])
        text.append(0)
        var i = 0
        while i < text.count - 1 {
            if text[i] == 0x3B {  // ';'
                let saved = text[i + 1]
                text[i + 1] = 0
                let complete = text.withUnsafeBufferPointer { sqlite3_complete($0.baseAddress!) } != 0
                text[i + 1] = saved
                if complete { return offset + i + 1 }
            }
            i += 1
        }
        return count
    }

    /// Byte ranges of the statements in the script, found without preparing them.
    public func statementRanges() -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = firstToken(from: 0)
        while start < count {
            let end = statementEnd(from: start)
            ranges.append(start..<end)
            start = firstToken(from: end)
        }
        return ranges
    }

    /// Moves past the statement at the current position without preparing it,
    /// returning its range (for a statement that failed to prepare).
    @discardableResult
    public func skipStatement() -> Range<Int> {
        let start = firstToken(from: position)
        let end = max(statementEnd(from: start), start + 1)
        position = min(end, count)
        return start..<position
    }

    private func byte(_ i: Int) -> UInt8 { UInt8(bitPattern: bytes[i]) }
}
