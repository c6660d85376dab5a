import Clocks
import Synchronization
import TTID
import Testing

/// The waits between tries run on the clock the policy is given: a test advances it instead of sleeping.
@Suite("Retry waits on an injected clock")
struct RetryClockTests {
    @Test func aRetryWaitsUntilTheClockIsAdvanced() async throws {
        let clock = TestClock()
        var policy = RetryPolicy(maxRetries: 1, baseDelay: .seconds(10), maxDelay: .seconds(10))
        policy.clock = PacingClock(clock)
        let attempts = Mutex(0)
        let task = Task {
            try await policy.run {
                let attempt = attempts.withLock { count in
                    count += 1
                    return count
                }
                guard attempt > 1 else {
                    throw TTIDError(
                        kind: .transient, endpoint: "keyusage", status: 503, bodyShape: .other, message: "unavailable")
                }
                return attempt
            }
        }
        // The first try fails at once; the second waits for the backoff (up to 10 s on the test clock).
        for _ in 0..<5_000 where attempts.withLock({ $0 }) < 1 { try await Task.sleep(for: .milliseconds(1)) }
        for _ in 0..<50 { await Task.yield() }
        #expect(attempts.withLock { $0 } == 1)
        // Advanced until the retry has run: the task may reach its sleep only after a first advance on a busy
        // machine, and a sleep that starts after an advance waits for the next one.
        for _ in 0..<1_000 where attempts.withLock({ $0 }) < 2 {
            await clock.advance(by: .seconds(10))
            await Task.yield()
        }
        #expect(try await task.value == 2)
    }
}
