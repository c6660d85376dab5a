/// A TT usage plan, known by its daily limit of calls per application key.
public enum TTPlan: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case free
    case low
    case medium
    case high

    /// Calls a day the plan allows.
    public var dailyLimit: Int {
        switch self {
        case .free: 10_000
        case .low: 15_000
        case .medium: 30_000
        case .high: 75_000
        }
    }

    /// The plan whose daily limit is exactly `limit`, or `nil` (a custom limit).
    public static func matching(limit: Int) -> TTPlan? {
        allCases.first { $0.dailyLimit == limit }
    }

    /// The smallest plan whose limit is above `limit`, or `nil` above the high plan.
    public static func above(limit: Int) -> TTPlan? {
        allCases.first { $0.dailyLimit > limit }
    }

    /// The plan's name, or `custom` for a limit that matches none.
    public static func name(forLimit limit: Int?) -> String? {
        guard let limit else { return nil }
        return matching(limit: limit)?.rawValue ?? "custom"
    }

    public static func < (lhs: TTPlan, rhs: TTPlan) -> Bool { lhs.dailyLimit < rhs.dailyLimit }
}
