import Testing
@testable import DeployCore

@Suite("deploy.yml: every error at once, and hints for indentation")
struct SpecErrorsTests {
    func error(_ text: String) -> SpecError? {
        do { _ = try SpecLoader(environment: [:]).load(text: text, file: "deploy.yml"); return nil } catch { return error }
    }

    @Test("the loader reads on after an error: all of them, in file order, each with its line and column")
    func everyError() throws {
        let e = try #require(error("""
            app: demo
            database:
              path: x.db
              bogus: 1
            targets:
              local:
                paht: .
              prod:
                path: /srv/app
                host: deploy@example.com
                port: 0
            steps:
              - migrate: x
              - git: push
              - run: ok
                only: stagin
            """))
        #expect(e.all.map { "\($0.line):\($0.column)" } == ["4:3", "7:5", "11:11", "13:14", "14:10", "16:11"])
        #expect(e.all[1].message.hasPrefix("unknown key 'paht' (did you mean 'path'?)"))
        #expect(e.all[5].message.contains("unknown target 'stagin'"))
        #expect(e.description.split(separator: "\n").count == 6)
        #expect(e.description.hasPrefix("deploy.yml:4:3: error: unknown key 'bogus'"))
    }

    @Test("a step with an error does not also make its target look as if it had no steps")
    func noCascade() throws {
        let e = try #require(error("targets:\n  local:\n    path: .\nsteps:\n  - git: push\n"))
        #expect(e.all.count == 1 && e.line == 5)
        let path = try #require(error("targets:\n  local:\n    pth: .\nsteps:\n  - migrate\n"))
        #expect(path.all.count == 1 && path.message.hasPrefix("unknown key 'pth'"))
        #expect(error("targets:\n  local:\n    host: a@b\nsteps:\n  - migrate\n")?.message.hasPrefix("target 'local' has no path") == true)
    }

    @Test("an error about the whole file has no line or column")
    func wholeFile() {
        #expect(SpecError(file: "deploy.yml", message: "cannot read the deploy spec: No such file or directory").description
            == "deploy.yml: error: cannot read the deploy spec: No such file or directory")
    }

    @Test("an indentation mistake gets a hint that names the line above and both indents")
    func indentation() throws {
        let under = try #require(error("app: demo\ntargets:\n  local:\n    path: .\n   steps:\n    - migrate\n"))
        #expect(under.line == 5)
        #expect(under.message.contains("hint: line 5 is indented 3 spaces, line 4 above it (`path: .`) 4 spaces"), "\(under.message)")
        let over = try #require(error("app: demo\ntargets:\n  local:\n    path: .\n      steps: x\n"))
        #expect(over.message.contains("line 5 is indented 6 spaces, line 4 above it (`path: .`) 4 spaces"), "\(over.message)")
        let tab = try #require(error("app: demo\ntargets:\n  local:\n\tpath: .\n"))
        #expect(tab.message.contains("hint: line 4 is indented with a tab"))
        // A YAML error that is not about indentation gets no hint.
        let quote = try #require(error("app: \"demo\n"))
        #expect(!quote.message.contains("hint:"))
    }
}
