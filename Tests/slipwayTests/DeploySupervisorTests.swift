import TestSupport
import Foundation
import Testing

/// `supervisor:` steps against a real supervisord (Debian's `supervisor` package),
/// started by the test with its own config and socket and stopped by PID.
///
/// The steps use the spec's `config:` option, so the real supervisorctl reaches this
/// supervisord through `supervisorctl -c CONFIG`, with no stand-in on PATH.
@Suite("deploy: supervisor steps against a real supervisord")
struct DeploySupervisorTests {
    @Test(
        "start, restart and stop steps drive the program; a failing supervisorctl fails the step",
        .enabled(
            if: Supervisord.installed || Supervisord.required,
            "supervisord/supervisorctl are not on PATH (Debian package supervisor; scripts/setup installs it). With CI set this test runs and fails instead"))
    func startRestartStop() throws {
        let supervisord = try Supervisord(programs: [("app", "sh -c 'exec sleep 1000'")])
        #expect(supervisord.sharedDescriptors().isEmpty, "supervisord inherited the test runner's descriptors")
        let cli = CLI()
        func target(_ name: String, _ step: String) -> String {
            "  \(name):\n    path: .\n    steps:\n      - supervisor: \(step)\n        config: \(supervisord.config)\n"
        }
        cli.write("deploy.yml", "app: demo\ntargets:\n"
            + target("up", "start app") + target("bounce", "restart app") + target("down", "stop app")
            + target("broken", "start nosuch"))
        #expect(try cli.run("check").status == 0)
        #expect(try supervisord.status("app").state == "STOPPED")

        let up = try cli.run("deploy", "up")
        #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
        #expect(up.stdout.contains("app: started"))
        let started = try supervisord.status("app")
        #expect(started.state == "RUNNING")
        let first = try #require(started.pid)
        #expect(ProcTable.entry(first) != nil)

        let bounce = try cli.run("deploy", "bounce")
        #expect(bounce.status == 0, "\(bounce.stdout)\(bounce.stderr)")
        let restarted = try supervisord.status("app")
        #expect(restarted.state == "RUNNING")
        #expect(restarted.pid != nil && restarted.pid != first)
        #expect(ProcTable.entry(first) == nil)

        let down = try cli.run("deploy", "down")
        #expect(down.status == 0, "\(down.stdout)\(down.stderr)")
        #expect(down.stdout.contains("app: stopped"))
        #expect(try supervisord.status("app").state == "STOPPED")
        #expect(restarted.pid.flatMap(ProcTable.entry) == nil)

        // supervisorctl exits 1 on "ERROR (no such process)": the step, and the deploy, fail.
        let broken = try cli.run("deploy", "broken", "--json")
        #expect(broken.status == 1)
        let step = broken.jsonLines.first { $0["event"] as? String == "step_finished" }
        #expect(step?["status"] as? String == "failed", "\(broken.stdout)")
        #expect(step?["exit_code"] as? Int == 1)
        #expect(broken.stdout.contains("no such process"))

        let history = try cli.run("history", "down", "--json").jsonLines
        #expect(history.map { $0["result"] as? String } == ["succeeded", "succeeded", "succeeded", "failed"])
    }
}
