/// A TT usage plan: the rate and daily quota each application key gets, and the plan a daily limit tells.
public enum UsagePlanTier: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case free, low, medium, high

    /// Requests a second.
    public var rate: Double {
        switch self {
        case .free: 3
        case .low: 5
        case .medium: 10
        case .high: 25
        }
    }

    /// Requests a UTC day, `/token` included: the daily limit `used + remaining` shows on a reported day.
    public var dailyQuota: Int {
        switch self {
        case .free: 10_000
        case .low: 15_000
        case .medium: 30_000
        case .high: 75_000
        }
    }

    /// The plan whose daily quota is exactly `limit`, or `nil` (a custom limit).
    public static func matching(limit: Int) -> UsagePlanTier? {
        allCases.first { $0.dailyQuota == limit }
    }

    /// The smallest plan whose quota is above `limit`, or `nil` above the high plan.
    public static func above(limit: Int) -> UsagePlanTier? {
        allCases.first { $0.dailyQuota > limit }
    }

    /// The plan's name, or `custom` for a limit that matches none.
    public static func name(forLimit limit: Int?) -> String? {
        guard let limit else { return nil }
        return matching(limit: limit)?.rawValue ?? "custom"
    }

    public static func < (lhs: UsagePlanTier, rhs: UsagePlanTier) -> Bool { lhs.dailyQuota < rhs.dailyQuota }
}
