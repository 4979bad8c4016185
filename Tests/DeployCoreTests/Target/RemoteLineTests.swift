import Testing
@testable import DeployCore

@Suite("What reaches a remote shell: every word quoted, the supervisor in front")
struct RemoteLineTests {
    @Test("paths, branches and values full of shell metacharacters stay literal words")
    func quoting() {
        let nasty = "/srv/a b;$(touch x)`id`'q'\"\n"
        let command = Command([.text("/bin/sh"), .text("-c"), .text("echo $HOME")],
                              env: [.init("TOKEN", .secret("s3cr;et'"))], workingDirectory: nasty, timeout: 30)
        let line = SSHExecutor.line(command, supervisor: .home(".cache/slipway/abc/slipway"), revealing: true)
        #expect(line == #"cd '/srv/a b;$(touch x)`id`'\''q'\''""# + "\n" + #"' && TOKEN='s3cr;et'\''' "$HOME"/'.cache/slipway/abc/slipway' 'agent' 'exec' '--timeout' '30' '--' '/bin/sh' '-c' 'echo $HOME'"#)
        #expect(!SSHExecutor.line(command, supervisor: nil, revealing: false).contains("s3cr"), "secrets masked unless revealed")
    }

    @Test("the remote slipway is the user's cache path, expanded by the shell from $HOME only")
    func home() {
        let word = RemoteSlipway(id: "abababababababab", localPath: "/x").word
        #expect(word.shell(revealing: false) == #""$HOME"/'.cache/slipway/abababababababab/slipway'"#)
        #expect(word.masked == "~/.cache/slipway/abababababababab/slipway")
    }

    @Test("the agent's ending line maps back to how the step ended, with the step's own time limit")
    func endings() {
        #expect(ExecAgent.result(ExecAgent.marker + #"{"exited":3}"#, timeout: nil) == .exited(3))
        #expect(ExecAgent.result(ExecAgent.marker + #"{"timedOut":5}"#, timeout: 5) == .timedOut(seconds: 5))
        #expect(ExecAgent.result(ExecAgent.marker + #"{"interrupted":true}"#, timeout: nil) == .interrupted)
        #expect(ExecAgent.result(ExecAgent.marker + #"{"signal":9}"#, timeout: nil) == .signaled(9))
        #expect(ExecAgent.result("plain output", timeout: nil) == nil)
    }
}

@Suite("RemoteSlipway: which build a host runs")
struct RemoteSlipwayTests {
    @Test("one file keeps its id; a rebuilt file gets another; the content hash is the file's SHA-256")
    func identity() throws {
        let folder = TempFolder()
        folder.write("slipway", "abc")
        let path = folder.path + "/slipway"
        let first = try #require(RemoteSlipway.of(binary: path))
        #expect(RemoteSlipway.of(binary: path) == first)
        #expect(first.id.count == 16 && first.id.allSatisfy(\.isHexDigit))
        #expect(first.contentHash() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        folder.write("slipway", "abcd")  // a new build: new size, time and (written anew) inode
        #expect(RemoteSlipway.of(binary: path)?.id != first.id)
        #expect(RemoteSlipway.of(binary: folder.path + "/missing") == nil)
    }
}
