/// Time as the client sees it (the pacer's slots, the token's renewal): a duration since the clock was made, and
/// a sleep until such a point.
///
/// It is built from any `Clock` whose duration is `Swift.Duration`, so a test hands the pacer and the token
/// provider a `TestClock` and advances it instead of waiting in real time.
public struct PacingClock: Sendable {
    /// Time since the clock was made.
    public let elapsed: @Sendable () -> Duration
    /// Sleeps until `elapsed()` reaches the point given; throws `CancellationError` when cancelled.
    public let sleep: @Sendable (_ until: Duration) async throws -> Void

    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleep = { point in try await clock.sleep(until: origin.advanced(by: point), tolerance: .milliseconds(1)) }
    }

    /// A clock of the two functions themselves: a test's clock that watches who sleeps on it.
    public init(
        elapsed: @escaping @Sendable () -> Duration,
        sleep: @escaping @Sendable (_ until: Duration) async throws -> Void
    ) {
        self.elapsed = elapsed
        self.sleep = sleep
    }

    /// The monotonic clock of the process.
    public static var continuous: PacingClock { PacingClock(ContinuousClock()) }
}
