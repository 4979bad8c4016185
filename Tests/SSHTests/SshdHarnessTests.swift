import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("Sshd harness")
struct SshdHarnessTests {
    @Test("two hosts on one port, each in its own mount namespace, see their own folder at the same path; one key logs into both")
    func hostsWithOwnFolders() throws {
        let root = try tempFolder("hosts")
        let target = root + "/srv"
        var servers: [Sshd] = []
        let port = try Loopback.freePort(on: "127.0.0.2")
        for (index, address) in ["127.0.0.2", "127.0.0.3"].enumerated() {
            let folder = root + "/host\(index)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "host \(index)\n".write(toFile: folder + "/name", atomically: true, encoding: .utf8)
            servers.append(try Sshd.start(address: address, port: port, bind: (folder, target), userKey: servers.first?.userKey))
        }
        for (index, sshd) in servers.enumerated() {
            #expect(sshd.port == port)
            let session = try connect(sshd)
            #expect(try collect(session, "cat \(target)/name").lines.map(\.text) == ["host \(index)"])
            #expect(try collect(session, "true").exit == .exited(0))
            #expect(sshd.connections == 1)
        }
        #expect(servers[1].userKey == servers[0].userKey)
        // Outside the namespaces the target is the plain, empty folder.
        #expect(!FileManager.default.fileExists(atPath: target + "/name"))
    }

    @Test("stop ends the listener and what its connections started")
    func stop() throws {
        let sshd = try Sshd.start()
        let session = try connect(sshd)
        let channel = try session.open("exec sleep 60")
        #expect(sshd.waitForConnectionProcesses(1))
        let below = ProcTable.descendants(of: sshd.pid)
        #expect(!below.isEmpty)
        sshd.stop()
        #expect(ProcTable.entry(sshd.pid) == nil)
        #expect(below.allSatisfy { ProcTable.entry($0.pid)?.started != $0.started })
        _ = channel
    }
}
