import Foundation
import Testing
import TestSupport
@testable import SSH

@Suite("Sshd harness")
struct SshdHarnessTests {
    @Test("two hosts on one port, each in its own mount namespace, see their own folder at the same path; one key logs into both")
    func hostsWithOwnFolders() throws {
        let root = try tempFolder("hosts")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = root + "/srv"
        var servers: [Sshd] = []
        defer { for sshd in servers { sshd.stop() } }
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
            defer { session.close() }
            #expect(try collect(session, "cat \(target)/name").lines.map(\.text) == ["host \(index)"])
            #expect(try collect(session, "true").exit == .exited(0))
            #expect(sshd.connections == 1)
        }
        #expect(servers[1].userKey == servers[0].userKey)
        // Outside the namespaces the target is the plain, empty folder.
        #expect(!FileManager.default.fileExists(atPath: target + "/name"))
    }

    @Test("stop ends the listener, what its connections started, and commands orphaned by a closed connection")
    func stop() throws {
        let sshd = try Sshd.start()
        defer { sshd.stop() }
        let session = try connect(sshd)
        defer { session.close() }
        // A command left running after its channel is closed: orphaned once the connection ends.
        #expect(try collect(session, "exec sleep 60", timeout: 0.2, grace: 0.2).exit == .timedOut)
        let channel = try session.open("exec sleep 61")
        #expect(sshd.waitForConnectionProcesses(1))
        let below = ProcTable.descendants(of: sshd.pid)
        #expect(!below.isEmpty)
        session.close()
        let marked = Sshd.processes(marked: sshd.marker)
        #expect(!marked.isEmpty)
        sshd.stop()
        #expect(ProcTable.entry(sshd.pid) == nil)
        // SIGKILL is delivered asynchronously: wait (bounded, 5 s) for each to be gone.
        for entry in below + marked {
            var alive = true
            for _ in 0..<500 where alive {
                alive = ProcTable.entry(entry.pid)?.started == entry.started
                if alive { usleep(10_000) }
            }
            #expect(!alive, "pid \(entry.pid) outlived stop()")
        }
        withExtendedLifetime(channel) {}
    }
}
