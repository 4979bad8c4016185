import Testing
@testable import MigrationCore

@Suite("MigrationSource: dbmate-style sections")
struct MigrationSourceTests {
    @Test("a file without markers is all up, from line 1")
    func plainFile() throws {
        let s = try MigrationSource(parsing: "CREATE TABLE t (x);\n", file: "f.sql")
        #expect(s.up.sql == "CREATE TABLE t (x);\n")
        #expect(s.up.firstLine == 1)
        #expect(s.down == nil && s.transactional)
    }

    @Test("up and down sections keep their file line numbers; down is not part of up")
    func sections() throws {
        let s = try MigrationSource(parsing: "-- header\n-- migrate:up\nCREATE TABLE t (x);\n-- migrate:down\nDROP TABLE t;\n", file: "f.sql")
        #expect(s.up.sql == "CREATE TABLE t (x);\n")
        #expect(s.up.firstLine == 3)
        #expect(s.down?.sql == "DROP TABLE t;\n")
        #expect(s.down?.firstLine == 5)
    }

    @Test("transaction:false, CRLF markers and a byte-order mark")
    func options() throws {
        let s = try MigrationSource(parsing: "\u{FEFF}--   migrate:up transaction:false\r\nVACUUM;\r\n", file: "f.sql")
        #expect(!s.transactional)
        #expect(s.up.sql == "VACUUM;\r\n")
        #expect(s.up.firstLine == 2)
    }

    @Test("a CRLF file keeps its bytes, string literals included, and its line numbers")
    func crlfKeepsBytes() throws {
        let s = try MigrationSource(parsing: "-- migrate:up\r\nINSERT INTO t VALUES ('a\r\nb');\r\n-- migrate:down\r\nDELETE FROM t;\r\n", file: "f.sql")
        #expect(s.up.sql == "INSERT INTO t VALUES ('a\r\nb');\r\n")
        #expect(s.down?.firstLine == 5)
    }

    @Test("bad markers are errors at their line")
    func badMarkers() {
        let cases: [(String, Int, String)] = [
            ("-- migrate:up\n-- migrate:up\n", 2, "second"),
            ("-- migrate:down\nDROP TABLE t;\n", 1, "without"),
            ("-- migrate:up transaction:maybe\n", 1, "unknown option"),
            ("SELECT 1;\n-- migrate:sideways\n", 2, "unknown marker"),
            ("-- migrate:up\n-- migrate:down\n-- migrate:up\n", 3, "second"),
        ]
        for (text, line, words) in cases {
            do {
                _ = try MigrationSource(parsing: text, file: "f.sql")
                Issue.record("accepted: \(text)")
            } catch {
                guard case .invalidMigration(let at, let message) = error else { Issue.record("wrong error"); continue }
                #expect(at.line == line)
                #expect(message.contains(words), "\(message)")
            }
        }
    }
}
