/// Pauses bounded by a deadline on an injected clock: how opening a store waits for another run that holds it,
/// without blocking a thread.
struct Waiting<C: Clock<Duration>>: Sendable {
    let clock: C
    let timeout: Duration
    let deadline: C.Instant

    init(clock: C, timeout: Duration) {
        self.clock = clock
        self.timeout = timeout
        self.deadline = clock.now.advanced(by: timeout)
    }

    /// The same clock with another bound, counted from now.
    func within(_ limit: Duration) -> Waiting {
        Waiting(clock: clock, timeout: limit)
    }

    /// Sleeps for `duration` (at most until the deadline) and says whether the caller may try again: `false` once
    /// the deadline has passed, or when the task is cancelled.
    func pause(_ duration: Duration) async -> Bool {
        let now = clock.now
        guard now < deadline else { return false }
        do {
            try await clock.sleep(until: min(now.advanced(by: duration), deadline), tolerance: nil)
        } catch {
            return false
        }
        return true
    }
}
