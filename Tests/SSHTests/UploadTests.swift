import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("SSHSession.upload")
struct UploadTests {
    @Test("a 3 MB file arrives byte-identical with mode 0755, and no .partial is left")
    func upload() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let local = try scratch(sshd, "up") + "/app.bin"
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        let bytes = try #require(try random.read(upToCount: 3_000_000))
        #expect(bytes.count == 3_000_000)
        try bytes.write(to: URL(fileURLWithPath: local))
        let remote = sshd.directory + "/app.bin"
        try session.upload(localPath: local, to: remote)
        #expect(FileManager.default.contents(atPath: remote) == bytes)
        #expect(try FileManager.default.attributesOfItem(atPath: remote)[.posixPermissions] as? Int == 0o755)
        #expect(!FileManager.default.fileExists(atPath: remote + ".partial"))

        // Again over the existing file, with other bytes and mode.
        let smaller = Data("second version\n".utf8)
        try smaller.write(to: URL(fileURLWithPath: local))
        try session.upload(localPath: local, to: remote, mode: 0o640)
        #expect(FileManager.default.contents(atPath: remote) == smaller)
        #expect(try FileManager.default.attributesOfItem(atPath: remote)[.posixPermissions] as? Int == 0o640)
        #expect(!FileManager.default.fileExists(atPath: remote + ".partial"))
    }

    @Test("upload into a missing folder fails naming the remote path; a missing local file names it")
    func failures() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        let local = try scratch(sshd, "up") + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: local))
        let remote = sshd.directory + "/no/such/folder/file"
        let error = try #require(failure { try session.upload(localPath: local, to: remote) })
        guard case .sftpFailed(let path, let why) = error.reason else {
            Issue.record("expected sftpFailed, got \(error)")
            return
        }
        #expect(path == remote)
        #expect(why.contains(".partial"))
        #expect(why.contains("no such file"))
        #expect(error.description.contains(sshd.endpointText))

        let missing = try #require(failure { try session.upload(localPath: "/nonexistent/file", to: sshd.directory + "/f") })
        #expect(missing.reason == .localFile(path: "/nonexistent/file", "No such file or directory"))
        // The session still works after both.
        #expect(try collect(session, "echo ok").lines.map(\.text) == ["ok"])
    }
}
