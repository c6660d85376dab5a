import Foundation
import UsageAnalysis
import UsageCore

/// Running figures over a set of key-days: what every measure of a table is computed from.
///
/// Merging two accumulators gives the figures of the union of their days, so subtotals and totals are computed
/// from days, never by adding up rounded row values.
struct UsageAccumulator: Sendable {
    var used = 0
    var daysOk = 0
    var daysProvisional = 0
    var daysMissing = 0
    var peakUsed: Int?
    var peakDate: Day?
    var daysAtQuota = 0
    var daysAboveThreshold = 0
    var peakUtilisation: Double?
    /// The day with the highest share of its limit, as whole numbers.
    var peakShare: UsageShare?
    /// Calls and days per daily limit: the mean utilisation is `Σ used / limit` over them, in decimal. The first
    /// limit is kept inline (a key seldom changes plan, and a matrix makes an accumulator per key and day).
    var firstLimit: LimitShare?
    var otherLimits: [LimitShare] = []
    var minRemaining: Int?

    /// The calls of the reported days that had one daily limit.
    struct LimitShare: Sendable, Hashable {
        var limit: Int
        var used: Int
        var days: Int
    }

    var daysReported: Int { daysOk + daysProvisional }

    /// Calls used, or `nil` when no day was reported (unknown, not zero).
    var usedIfKnown: Int? { daysReported > 0 ? used : nil }

    /// Reported days with not a single call.
    var isDormant: Bool { daysReported > 0 && used == 0 }

    /// Whether a day reached the quota or the threshold.
    var isAtRisk: Bool { daysAtQuota > 0 || daysAboveThreshold > 0 }

    /// Adds one day; `threshold` is the utilisation that counts a day in `daysAboveThreshold`.
    @inline(__always)
    mutating func add(_ day: DayUsage, threshold: Double) {
        switch day.status {
        case .missing:
            daysMissing += 1
            return
        case .ok: daysOk += 1
        case .provisional: daysProvisional += 1
        }
        let count = day.used ?? 0
        used += count
        // The first day with the most calls is the peak, as in `KeyTotals`.
        if let best = peakUsed, best >= count {
        } else {
            peakUsed = count
            peakDate = day.date
        }
        if let remaining = day.remaining {
            if remaining == 0 { daysAtQuota += 1 }
            if let low = minRemaining { minRemaining = min(low, remaining) } else { minRemaining = remaining }
            if let share = UsageShare(used: count, remaining: remaining) { addShare(share) }
        }
        if let utilisation = day.utilisation {
            peakUtilisation = max(peakUtilisation ?? 0, utilisation)
            if utilisation >= threshold { daysAboveThreshold += 1 }
        }
    }

    @inline(__always)
    private mutating func addShare(_ share: UsageShare) {
        if let peak = peakShare {
            if peak < share { peakShare = share }
        } else {
            peakShare = share
        }
        addLimit(LimitShare(limit: share.limit, used: share.used, days: 1))
    }

    @inline(__always)
    private mutating func addLimit(_ part: LimitShare) {
        if firstLimit == nil {
            firstLimit = part
        } else if firstLimit?.limit == part.limit {
            firstLimit?.used += part.used
            firstLimit?.days += part.days
        } else if let index = otherLimits.firstIndex(where: { $0.limit == part.limit }) {
            otherLimits[index].used += part.used
            otherLimits[index].days += part.days
        } else {
            otherLimits.append(part)
        }
    }

    /// Adds the days of `other`.
    mutating func merge(_ other: UsageAccumulator) {
        used += other.used
        daysOk += other.daysOk
        daysProvisional += other.daysProvisional
        daysMissing += other.daysMissing
        if let theirs = other.peakUsed {
            // Ties go to the earlier day, as within one key.
            let takeTheirs: Bool
            if let ours = peakUsed {
                if theirs != ours {
                    takeTheirs = theirs > ours
                } else if let theirDate = other.peakDate, let ourDate = peakDate {
                    takeTheirs = theirDate < ourDate
                } else {
                    takeTheirs = false
                }
            } else {
                takeTheirs = true
            }
            if takeTheirs {
                peakUsed = theirs
                peakDate = other.peakDate
            }
        }
        daysAtQuota += other.daysAtQuota
        daysAboveThreshold += other.daysAboveThreshold
        if let theirs = other.peakUtilisation { peakUtilisation = max(peakUtilisation ?? 0, theirs) }
        if let theirs = other.peakShare, peakShare.map({ $0 < theirs }) ?? true { peakShare = theirs }
        if let first = other.firstLimit { addLimit(first) }
        for part in other.otherLimits { addLimit(part) }
        if let theirs = other.minRemaining { minRemaining = min(minRemaining ?? theirs, theirs) }
    }

    /// Mean calls per reported day, in decimal, rounded to two places.
    var meanPerDay: Decimal? {
        daysReported > 0 ? ExactFigures.ratio(used, daysReported, places: ExactFigures.meanPlaces) : nil
    }

    /// Mean of the days' utilisation (`Σ used / limit ÷ days`), in decimal, rounded to four places.
    var meanUtilisation: Decimal? {
        guard let first = firstLimit else { return nil }
        // One limit (the common case): used ÷ (limit × days), in whole numbers.
        if otherLimits.isEmpty {
            let (product, overflow) = first.limit.multipliedReportingOverflow(by: first.days)
            if !overflow { return ExactFigures.ratio(first.used, product, places: ExactFigures.fractionPlaces) }
        }
        let parts = [first] + otherLimits
        let days = parts.reduce(0) { $0 + $1.days }
        let sum = parts.reduce(Decimal(0)) { $0 + Decimal($1.used) / Decimal($1.limit) }
        return ExactFigures.ratio(sum, Decimal(days), places: ExactFigures.fractionPlaces)
    }

    /// The highest day's utilisation, in decimal, rounded to four places.
    var roundedPeakUtilisation: Decimal? { peakShare?.rounded(places: ExactFigures.fractionPlaces) }
}
