import UsageCore

/// How the quota audit judges keys.
public struct AuditOptions: Sendable, Hashable {
    /// The anomaly detector's thresholds (`--anomaly`).
    public var anomaly = AnomalyThresholds()
    /// The share of a plan's daily limit a key's peak day may reach for that plan to be recommended.
    public var headroom = 0.8
    /// A peak day at or above this share of the limit is `near-quota` (the template's `near-quota`).
    public var nearQuota = 0.9
    /// The last days of the range that must all be without a call for a key to be dormant.
    public var dormantDays = 30
    /// The day the data was read, for the forecast of a month in progress; `nil`: the day of the dataset's
    /// `generatedAt`.
    public var today: Day?

    /// The defaults.
    public init() {}
}
