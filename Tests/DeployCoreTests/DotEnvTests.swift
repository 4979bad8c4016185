import Testing
@testable import DeployCore

@Suite(".env beside deploy.yml")
struct DotEnvTests {
    @Test("bare, quoted and exported values; comments and blank lines")
    func formats() throws {
        let env = try DotEnv(text: """
            # database
            DB_PATH=data/app.db
            export APP = cex-monitor   # trailing comment
            GREETING="hello \\"you\\"\\nbye"
            RAW='a $b \\n # c'
            EMPTY=

            """, file: ".env")
        #expect(env.values == ["DB_PATH": "data/app.db", "APP": "cex-monitor", "GREETING": "hello \"you\"\nbye",
                               "RAW": "a $b \\n # c", "EMPTY": ""])
    }

    @Test("a line that is not NAME=value is an error at its line and column")
    func errors() {
        #expect(throws: SpecError(file: ".env", line: 2, column: 3, message: "expected NAME=value, found 'oops'")) {
            try DotEnv(text: "A=1\n  oops\n", file: ".env")
        }
        #expect(throws: SpecError(file: ".env", line: 1, column: 1, message: "'1A' is not a variable name (letters, digits, _)")) {
            try DotEnv(text: "1A=x\n", file: ".env")
        }
        #expect(throws: SpecError(file: ".env", line: 1, column: 3, message: "the value's \" is not closed on this line")) {
            try DotEnv(text: "A=\"open\n", file: ".env")
        }
    }

    @Test("the environment wins over .env")
    func environmentWins() throws {
        let env = try DotEnv(text: "A=file\nB=file\n", file: ".env")
        #expect(env.under(["A": "env"]) == ["A": "env", "B": "file"])
    }
}
