import UsageCore

/// The TT plan a key should be on, and why, in words.
///
/// The smallest plan whose daily limit keeps the key's peak day at or under `headroom` (80%) of the limit; a key
/// that hit its quota on any day is recommended at least the next plan up from its current one, since what it
/// would have called on those days is unknown.
public struct PlanRecommendation: Sendable, Hashable {
    /// Which way the recommendation goes from the key's current plan.
    public enum Direction: String, Sendable, Hashable {
        case up
        case down
        case same
    }

    public var plan: UsagePlanTier
    public var direction: Direction
    /// `up to medium: peak 14,950 of 15,000 (100%), at quota on 12 days (demand on those days unknown)`.
    public var reason: String

    /// The recommendation for a key whose current daily limit is `currentLimit`.
    ///
    /// - Parameters:
    ///   - peak: The most calls of any reported day.
    ///   - peakLimit: The limit on that day (its utilisation's denominator).
    ///   - daysAtQuota: Reported days with nothing remaining.
    ///   - headroom: The share of a plan's limit the peak may reach (0.8).
    public init(currentLimit: Int, peak: Int, peakLimit: Int, daysAtQuota: Int, headroom: Double) {
        let fitting = UsagePlanTier.allCases.first { Double(peak) <= headroom * Double($0.dailyQuota) }
        var plan = fitting ?? .high
        var notes: [String] = []
        if daysAtQuota > 0 {
            let floor = UsagePlanTier.above(limit: currentLimit) ?? .high
            if floor > plan { plan = floor }
            notes.append("at quota on \(daysAtQuota) day\(daysAtQuota == 1 ? "" : "s") (demand on those days unknown)")
        }
        if fitting == nil { notes.append("above \(Self.percent(headroom)) of the high plan") }
        let share = peakLimit > 0 ? " (\(Self.percent(Double(peak) / Double(peakLimit))))" : ""
        let peakText = "peak \(Self.grouped(peak)) of \(Self.grouped(peakLimit))\(share)"
        let direction: Direction =
            plan.dailyQuota > currentLimit ? .up : plan.dailyQuota < currentLimit ? .down : .same
        let verb =
            switch direction {
            case .up: "up to \(plan.rawValue)"
            case .down: "down to \(plan.rawValue)"
            case .same: "keep \(plan.rawValue)"
            }
        self.plan = plan
        self.direction = direction
        self.reason = "\(verb): " + ([peakText] + notes).joined(separator: ", ")
    }

    /// `9412` as `9,412`.
    package static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// `0.9412` as `94%` (whole percent, rounded down so that 99.9% is never shown as 100%).
    static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100 + 1e-9).rounded(.down)))%"
    }
}
