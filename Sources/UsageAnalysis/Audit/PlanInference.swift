import UsageCore

/// A key's daily limit read from its days: on a reported day, `used + remaining` is the limit of the key's plan.
public struct PlanInference: Sendable, Hashable {
    /// A change of the limit between two reported days.
    public struct LimitChange: Sendable, Hashable, Codable {
        /// The first day with the new limit.
        public var date: Day
        public var from: Int
        public var to: Int
    }

    /// The most common limit over the reported days (the later one on a tie); `nil` with no reported day.
    public var dailyLimit: Int?
    /// The limit of the last reported day: the plan the key is on now.
    public var currentLimit: Int?
    /// Every change of the limit, in date order.
    public var changes: [LimitChange]

    /// `dailyLimit`'s plan name: `free`, `low`, `medium`, `high` or `custom`.
    public var planName: String? { UsagePlanTier.name(forLimit: dailyLimit) }

    /// Reads the limit of every day that reports both figures (`ok` or `provisional`).
    public init(days: [DayUsage]) {
        var counts: [Int: Int] = [:]
        var lastSeen: [Int: Int] = [:]
        var previous: Int?
        var changes: [LimitChange] = []
        for (index, day) in days.enumerated() where day.status != .missing {
            guard let used = day.used, let remaining = day.remaining else { continue }
            let limit = used + remaining
            counts[limit, default: 0] += 1
            lastSeen[limit] = index
            if let previous, previous != limit {
                changes.append(LimitChange(date: day.date, from: previous, to: limit))
            }
            previous = limit
        }
        self.dailyLimit =
            counts.max { lhs, rhs in
                lhs.value != rhs.value ? lhs.value < rhs.value : (lastSeen[lhs.key] ?? 0) < (lastSeen[rhs.key] ?? 0)
            }?.key
        self.currentLimit = previous
        self.changes = changes
    }
}
