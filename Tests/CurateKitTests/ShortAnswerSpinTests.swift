import Testing
@testable import CurateKit

/// How an answer is waited for: a brief look at the socket after a fast answer, sleep otherwise.
/// The clock is the test's own, so nothing here depends on the machine's speed.
@Suite("Waiting for a fast answer")
struct ShortAnswerSpinTests {
    /// A clock that moves `step` nanoseconds at every reading.
    final class SteppingClock {
        var now: Int64 = 0
        let step: Int64
        init(step: Int64) { self.step = step }
        func read() -> Int64 {
            now += step
            return now
        }
    }

    @Test("no look before the first answer, nor after a slow one; after a fast one twice its time, at most the window")
    func lookTime() {
        #expect(ShortAnswerSpin.lookTime(after: nil) == 0)
        #expect(ShortAnswerSpin.lookTime(after: ShortAnswerSpin.window + 1) == 0)
        #expect(ShortAnswerSpin.lookTime(after: 30_000) == 60_000)
        #expect(ShortAnswerSpin.lookTime(after: 80_000) == ShortAnswerSpin.window)
    }

    @Test("the first wait sleeps without looking; a fast answer makes the next wait look, and an answer seen while looking is taken without sleep")
    func looksAfterAFastAnswer() {
        var spin = ShortAnswerSpin()
        let clock = SteppingClock(step: 1_000)
        var looks = 0
        var sleeps = 0
        spin.wait(ready: { looks += 1; return false }, sleep: { sleeps += 1; clock.now += 40_000 }, clock: clock.read)
        #expect(looks == 0)
        #expect(sleeps == 1)
        #expect(spin.lastAnswer == 41_000)
        // Answered at the third look.
        spin.wait(ready: { looks += 1; return looks == 3 }, sleep: { sleeps += 1 }, clock: clock.read)
        #expect(looks == 3)
        #expect(sleeps == 1)
        #expect(spin.lastAnswer == 3_000)
    }

    @Test("a look that finds nothing ends at its time and sleeps; a slow answer stops the looking")
    func looksEndThenSleep() {
        var spin = ShortAnswerSpin()
        let clock = SteppingClock(step: 1_000)
        spin.wait(ready: { false }, sleep: { clock.now += 9_000 }, clock: clock.read)  // took 10 µs
        var looks = 0
        var slept = false
        spin.wait(ready: { looks += 1; return false }, sleep: { slept = true; clock.now += 500_000 }, clock: clock.read)
        #expect(slept)
        #expect(looks == 20)  // 20 µs of looking, a microsecond per look
        looks = 0
        spin.wait(ready: { looks += 1; return true }, sleep: {}, clock: clock.read)
        #expect(looks == 0)  // the last answer took half a millisecond: no look
    }
}
