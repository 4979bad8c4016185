import Testing
@testable import SSH

@Suite("SSH values")
struct UnitTests {
    @Test("an endpoint prints user@host:port, an IPv6 address bracketed")
    func endpoint() {
        #expect(SSHEndpoint(user: "deploy", host: "web1").description == "deploy@web1:22")
        #expect(SSHEndpoint(user: "root", host: "::1", port: 2222).description == "root@[::1]:2222")
    }

    @Test("every error message names user@host:port, and the command when one was running")
    func errorMessages() {
        let at = SSHEndpoint(user: "root", host: "10.0.0.5", port: 2222)
        let reasons: [SSHError.Reason] = [
            .connectionRefused, .timedOut(.tcpConnect, seconds: 10), .handshakeFailed("kex"), .connectionLost("no answer for 45 s"),
            .authenticationFailed(offered: ["publickey"], tried: "key file k"), .cancelled, .sessionClosed,
            .hostKeyChanged(fingerprint: "SHA256:x", keyType: "ED25519", file: "kh", line: 2), .readTimedOut(seconds: 0.5),
        ]
        for reason in reasons {
            #expect(SSHError(reason, endpoint: at).description.contains("root@10.0.0.5:2222"))
        }
        let lost = SSHError(.connectionLost("no answer for 45 s"), endpoint: at, command: "sleep 30")
        #expect(lost.description == "connection to root@10.0.0.5:2222 lost: no answer for 45 s (while running `sleep 30`)")
        #expect(SSHError.seconds(1) == "1 s" && SSHError.seconds(0.5) == "0.5 s" && SSHError.seconds(45.04) == "45 s")
    }

    @Test("lines are cut at \\n across chunks; \\r before it is dropped; the rest comes at finish")
    func lineBuffer() {
        var buffer = LineBuffer()
        var lines: [String] = []
        for chunk in ["ab", "c\r\nde", "f\n\n", "g"] {
            Array(chunk.utf8).withUnsafeBytes { buffer.append($0) { lines.append($0) } }
        }
        #expect(lines == ["abc", "def", ""])
        #expect(buffer.finish() == "g")
        #expect(buffer.finish() == nil)
    }

    @Test("liveness: silence alone is fine; silence with a keepalive unanswered for interval × count is loss; an answer resets it")
    func liveness() {
        let start = ContinuousClock.now
        func at(_ seconds: Double) -> ContinuousClock.Instant { start + .seconds(seconds) }
        var live = Liveness(interval: 1, countMax: 3)
        live.reset(lastReceive: start)
        #expect(!live.shouldAsk(now: at(0.5)))
        #expect(live.shouldAsk(now: at(1)))
        #expect(live.lostAfter(now: at(10)) == nil)  // nothing asked: a quiet command, not a dead server
        live.asked(at: at(1))
        #expect(live.lostAfter(now: at(2.9)) == nil)
        #expect(live.lostAfter(now: at(3)) == 3)
        live.received(at: at(1.01))  // the answer
        #expect(live.lostAfter(now: at(3)) == nil)
        live.asked(at: at(2.01))
        #expect(live.lostAfter(now: at(4.01)) == 3)
        #expect(Liveness(interval: 0, countMax: 3).tick == nil)
    }
}
