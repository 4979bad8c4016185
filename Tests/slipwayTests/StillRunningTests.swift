import DeployCore
import Testing
@testable import slipway

@Suite("a silent deploy step says it is still running")
struct StillRunningTests {
    let t0 = ContinuousClock.now
    let step = PlannedStep(number: 1, name: "build", kind: .gitPull, command: Command(["git", "pull"]))

    @Test("nothing before 10 s of silence; then a note with the step's time, and the silence counts again")
    func notes() {
        var silence = StillRunning()
        silence.saw(.stepStarted(step, attempt: 1), at: t0)
        #expect(silence.note(at: t0 + .seconds(9)) == nil)
        #expect(silence.note(at: t0 + .seconds(10)) == "… still running (10s)")
        #expect(silence.note(at: t0 + .seconds(15)) == nil)
        #expect(silence.note(at: t0 + .seconds(21)) == "… still running (21s)")
    }

    @Test("output resets the silence; no note outside a step or after it finished")
    func outputAndEnd() {
        var silence = StillRunning()
        #expect(silence.note(at: t0 + .seconds(60)) == nil)
        silence.saw(.stepStarted(step, attempt: 1), at: t0)
        silence.saw(.output(step: 1, line: "added 12 packages"), at: t0 + .seconds(8))
        #expect(silence.note(at: t0 + .seconds(12)) == nil)
        #expect(silence.note(at: t0 + .seconds(18)) == "… still running (18s)")
        silence.saw(.stepFinished(StepOutcome(step: step, status: .ok)), at: t0 + .seconds(19))
        #expect(silence.note(at: t0 + .seconds(40)) == nil)
    }
}
