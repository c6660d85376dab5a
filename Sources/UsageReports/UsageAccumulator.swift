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
    var utilisationSum = 0.0
    var utilisationCount = 0
    var peakUtilisation: Double?
    var minRemaining: Int?

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
        }
        if let utilisation = day.utilisation {
            utilisationSum += utilisation
            utilisationCount += 1
            peakUtilisation = max(peakUtilisation ?? 0, utilisation)
            if utilisation >= threshold { daysAboveThreshold += 1 }
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
        utilisationSum += other.utilisationSum
        utilisationCount += other.utilisationCount
        if let theirs = other.peakUtilisation { peakUtilisation = max(peakUtilisation ?? 0, theirs) }
        if let theirs = other.minRemaining { minRemaining = min(minRemaining ?? theirs, theirs) }
    }

    /// Mean calls per reported day, rounded to two places.
    var meanPerDay: Double? {
        daysReported > 0 ? UsageAccumulator.round(Double(used) / Double(daysReported), places: 2) : nil
    }

    /// Mean of the days' utilisation, rounded to four places.
    var meanUtilisation: Double? {
        utilisationCount > 0 ? UsageAccumulator.round(utilisationSum / Double(utilisationCount), places: 4) : nil
    }

    /// The highest day's utilisation, rounded to four places.
    var roundedPeakUtilisation: Double? { peakUtilisation.map { UsageAccumulator.round($0, places: 4) } }

    static func round(_ value: Double, places: Int) -> Double {
        let scale = places == 2 ? 100.0 : 10_000.0
        return (value * scale).rounded() / scale
    }
}
