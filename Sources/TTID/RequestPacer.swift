/// Spreads requests evenly: at most `rate` a second over all callers, one every `1/rate` seconds, no burst.
///
/// TT publishes no burst allowance, so the first second gets one call like every other.
public actor RequestPacer {
    private let interval: Duration
    private let clock = ContinuousClock()
    private var next: ContinuousClock.Instant?

    /// `rate` calls a second; `nil` when `rate` is not positive (no pacing wanted).
    ///
    /// Slots are 2% wider than `1/rate`: the service meters arrivals, not departures, and a call that leaves on
    /// time can still arrive a few milliseconds early after the one before it was delayed on the way.
    public init?(rate: Double, margin: Double = 0.02) {
        guard rate > 0, rate.isFinite else { return nil }
        self.interval = .nanoseconds(Int64((1_000_000_000 / rate * (1 + max(0, margin))).rounded()))
    }

    /// Waits for the next free slot. Throws `CancellationError` when the task is cancelled while waiting.
    public func waitForSlot() async throws {
        let now = clock.now
        let slot = max(now, next ?? now)
        next = slot + interval
        if slot > now {
            try await clock.sleep(until: slot, tolerance: .milliseconds(1))
        }
    }
}
