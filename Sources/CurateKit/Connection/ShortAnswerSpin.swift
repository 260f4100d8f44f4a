/// Waits for an answer the server is about to give by looking at the socket for a moment before
/// going to sleep on it.
///
/// A script of small statements against a server on the same machine spends more time being
/// woken than waiting: the server answers an INSERT in some tens of microseconds, and a process
/// asleep in `poll` takes about as long again to run after the answer arrives (more on virtual
/// machines). When the last answer came within `window`, the next wait first looks at the socket
/// without sleeping, for at most as long as the last answer took (and never longer than
/// `window`); a slower server (a network away, or a long statement) is waited for asleep, as
/// before. At most one window of CPU is spent per statement, only while answers are that fast.
struct ShortAnswerSpin {
    /// The longest look: beyond it, sleeping costs less than looking.
    static let window: Int64 = 100_000  // nanoseconds

    /// How long the last answer took (nanoseconds), from the start of the wait; nil before one.
    private(set) var lastAnswer: Int64?

    /// How long to look before sleeping, after an answer that took `lastAnswer`: nothing when it
    /// was slow or unknown, else twice as long as it took, at most `window`.
    static func lookTime(after lastAnswer: Int64?) -> Int64 {
        guard let lastAnswer, lastAnswer <= window else { return 0 }
        return min(2 * lastAnswer, window)
    }

    /// Waits until `ready` says the answer is there or the look time is over, then lets `sleep`
    /// wait for the rest (it returns when the answer is there). `clock` gives nanoseconds.
    mutating func wait(ready: () -> Bool, sleep: () -> Void, clock: () -> Int64 = MonotonicClock.nanoseconds) {
        let start = clock()
        let look = Self.lookTime(after: lastAnswer)
        var answered = false
        if look > 0 {
            repeat { answered = ready() } while !answered && clock() - start < look
        }
        if !answered { sleep() }
        lastAnswer = clock() - start
    }
}
