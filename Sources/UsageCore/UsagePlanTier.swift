/// A TT usage plan: the rate and daily quota each application key gets.
public enum UsagePlanTier: String, Sendable, CaseIterable {
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

    /// Requests a UTC day, `/token` included.
    public var dailyQuota: Int {
        switch self {
        case .free: 10_000
        case .low: 15_000
        case .medium: 30_000
        case .high: 75_000
        }
    }
}
