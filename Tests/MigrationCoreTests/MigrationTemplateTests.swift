import Testing
import Foundation
@testable import MigrationCore

@Suite("MigrationTemplate: slipway new")
struct MigrationTemplateTests {
    @Test("the next number keeps the existing width, with up and down sections")
    func nextNumber() throws {
        let p = TempProject()
        p.write("001_a.sql", "")
        p.write("007_b.sql", "")
        let path = try MigrationTemplate(directory: MigrationDirectory(path: p.migrations)).create(name: "Add invoices")
        #expect(path == p.migrations + "/008_add_invoices.sql")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("-- migrate:up") && text.contains("-- migrate:down"))
        let source = try MigrationSource(parsing: text, file: path)
        #expect(source.down == nil, "its down section is empty: the reverse is generated")
    }

    @Test("names that could leave the folder are refused, and nothing is written")
    func refusesPaths() throws {
        let p = TempProject()
        let template = MigrationTemplate(directory: MigrationDirectory(path: p.migrations))
        for bad in ["../escape", "a/b", "", "x.sql", "$(rm -rf)", "   "] {
            #expect(throws: MigrationError.self) { try template.create(name: bad) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: p.migrations).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: p.root + "/escape.sql"))
    }

    @Test("an empty folder starts at 001")
    func firstFile() throws {
        let p = TempProject()
        let path = try MigrationTemplate(directory: MigrationDirectory(path: p.migrations)).create(name: "init")
        #expect(path.hasSuffix("/001_init.sql"))
    }
}

@Suite("MigrationTemplate: the new file sorts last")
struct MigrationTemplateOrderTests {
    @Test("after 10_f.sql (and 009_e.sql) the next file is 11_…, which sorts after both")
    func widthOfTheNewest() throws {
        let p = TempProject()
        p.write("009_e.sql", "")
        p.write("10_f.sql", "")
        let path = try MigrationTemplate(directory: MigrationDirectory(path: p.migrations)).create(name: "g")
        #expect(path == p.migrations + "/11_g.sql")
    }
}
