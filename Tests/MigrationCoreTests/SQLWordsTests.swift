import Testing
@testable import MigrationCore

@Suite("SQLWords and AlterStatement: reading the head of a statement")
struct SQLWordsTests {
    @Test("mentions finds a word in any case, and says no only when it is absent")
    func mentions() {
        #expect(SQLWords.mentions("CREATE TABLE IF NOT EXISTS t (x)", "exists"))
        #expect(SQLWords.mentions("create table if not Exists t (x)", "exists"))
        #expect(SQLWords.mentions("INSERT OR REPLACE INTO t VALUES (1)", "replace"))
        #expect(SQLWords.mentions("replace", "replace"))
        #expect(!SQLWords.mentions("CREATE TABLE t (x)", "exists"))
        #expect(!SQLWords.mentions("EXIST", "exists"))
        #expect(!SQLWords.mentions("", "exists"))
        #expect(!SQLWords.mentions("INSERT INTO t VALUES ('é')", "replace"))
    }

    @Test("ALTER TABLE kinds, with schema names, quoting and comments")
    func alterKinds() {
        #expect(AlterStatement(sql: "ALTER TABLE t ADD COLUMN c TEXT") == .addColumn)
        #expect(AlterStatement(sql: "alter table main.t drop column c") == .dropColumn)
        #expect(AlterStatement(sql: "ALTER TABLE t RENAME COLUMN a TO b") == .renameColumn)
        #expect(AlterStatement(sql: "ALTER TABLE t RENAME a TO b") == .renameColumn)
        #expect(AlterStatement(sql: "ALTER /* c */ TABLE \"my t\" RENAME TO [new \"\" name]") == .renameTable(to: "new \"\" name"))
        #expect(AlterStatement(sql: "ALTER TABLE t RENAME TO \"a\"\"b\"") == .renameTable(to: "a\"b"))
        #expect(AlterStatement(sql: "-- note\nALTER TABLE t ADD c") == .addColumn)
        #expect(AlterStatement(sql: "ALTER\tTABLE\r\nt RENAME TO café") == .renameTable(to: "café"))
        #expect(AlterStatement(sql: "ALTER TABLE naïve RENAME TO `b``c`") == .renameTable(to: "b`c"))
        #expect(AlterStatement(sql: "ALTER TABLE t /* unterminated") == .unknown)
        #expect(AlterStatement(sql: "UPDATE t SET x = 1") == .unknown)
    }

    @Test("occurs finds bytes as they are, anywhere, and only those")
    func occurs() {
        #expect(SQLWords.occurs("extra_1", in: "create index i on t (extra_1)"))
        #expect(SQLWords.occurs("café", in: "select café from t"))
        #expect(SQLWords.occurs("", in: ""))
        #expect(!SQLWords.occurs("extra_2", in: "create index i on t (extra_1)"))
        #expect(!SQLWords.occurs("Extra", in: "extra"))
        #expect(!SQLWords.occurs("longer than", in: "short"))
    }
}
