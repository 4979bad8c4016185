import Testing
import Foundation
@testable import SQLiteKit

@Suite("DatabaseFile: what is at a path, before SQLite opens it")
final class DatabaseFileTests {
    let folder: String = {
        let path = NSTemporaryDirectory() + "slipway-dbfile-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    @Test("a real database, a text file, an empty file, a folder and nothing")
    func kinds() throws {
        let db = folder + "/real.db"
        try Connection(path: db).execute("CREATE TABLE t (x)")
        #expect(DatabaseFile.inspect(db) == .sqlite)

        let text = folder + "/notes.txt"
        try "hello; this is not a database\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(DatabaseFile.inspect(text) == .notSQLite("it is a text file of 30 bytes that does not start with 'SQLite format 3'"))
        let binary = folder + "/image.bin"
        _ = FileManager.default.createFile(atPath: binary, contents: Data([0x89, 0x50, 0x4E, 0x47] + [UInt8](repeating: 0, count: 8188)))
        #expect(DatabaseFile.inspect(binary) == .notSQLite("it is a file of 8192 bytes that does not start with 'SQLite format 3'"))

        _ = FileManager.default.createFile(atPath: folder + "/empty.db", contents: Data())
        #expect(DatabaseFile.inspect(folder + "/empty.db") == .empty)
        #expect(DatabaseFile.inspect(folder) == .directory)
        #expect(DatabaseFile.inspect(folder + "/nope.db") == .missing)
    }
}
