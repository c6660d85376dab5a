import Foundation

/// A day's calls as a share of its daily limit, kept as the two whole numbers it comes from: compared exactly,
/// and written as a decimal rounded once, never through a binary double's shortest text.
public struct UsageShare: Sendable, Hashable, Comparable {
    public var used: Int
    /// The day's limit (`used + remaining`), above zero.
    public var limit: Int

    /// The share of `used` in `used + remaining`; `nil` when the day reports no quota.
    public init?(used: Int, remaining: Int) {
        guard used >= 0, remaining >= 0, used + remaining > 0 else { return nil }
        self.used = used
        self.limit = used + remaining
    }

    /// The share as a double, for drawing and for thresholds; never written as a figure.
    public var value: Double { Double(used) / Double(limit) }

    /// The share rounded half away from zero to `places` places.
    public func rounded(places: Int) -> Decimal {
        ExactFigures.ratio(used, limit, places: places)
    }

    public static func < (lhs: UsageShare, rhs: UsageShare) -> Bool {
        let (left, leftOverflow) = lhs.used.multipliedReportingOverflow(by: rhs.limit)
        let (right, rightOverflow) = rhs.used.multipliedReportingOverflow(by: lhs.limit)
        guard !leftOverflow, !rightOverflow else { return lhs.value < rhs.value }
        return left < right
    }
}
