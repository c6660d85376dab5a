import Foundation
import UsageCore

/// How an export waits for a spent daily quota to reset instead of stopping (`--wait-for-quota`).
///
/// TT's quota resets at 00:00 UTC. The wait ends `margin` after that, on `sleep`'s clock: a test hands in
/// a clock it advances, and a `now` of its choosing.
public struct QuotaWait: Sendable {
    /// The wall clock that says which UTC day it is.
    public var now: @Sendable () -> Date
    /// Sleeps for a duration; throws when cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Time past 00:00 UTC before the run goes on.
    public var margin: Duration
    /// Hears each wait as it starts: the calls kept so far and when the run goes on.
    public var onWait: @Sendable (_ kept: Int, _ resume: Date) -> Void
    /// A moment the quota resets at, and every 24 hours before and after it; `nil` is TT's 00:00 UTC.
    public var resetAt: Date?

    public init(
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await ContinuousClock().sleep(for: $0) },
        margin: Duration = .seconds(60), onWait: @escaping @Sendable (_ kept: Int, _ resume: Date) -> Void = { _, _ in }
    ) {
        self.now = now
        self.sleep = sleep
        self.margin = margin
        self.onWait = onWait
    }

    /// The next reset after `date` (00:00 UTC, or the next of `resetAt` ± 24 h), plus the margin.
    public func resumeDate(after date: Date) -> Date {
        let reset: Date
        if let resetAt {
            let periods = ((date.timeIntervalSince(resetAt)) / 86_400).rounded(.down) + 1
            reset = resetAt.addingTimeInterval(periods * 86_400)
        } else {
            reset = Day(containing: date).adding(days: 1).start
        }
        return reset.addingTimeInterval(margin / .seconds(1))
    }
}
