import Foundation
import UsageCore

/// The quota audit of a dataset: each key's plan read from its data, a plan recommendation, anomalies, dormant
/// and new keys, and the forecast of a month in progress. A pure function of the dataset and the options, so
/// `render` audits a saved report again with no network.
public struct KeyAudit: Sendable, Hashable {
    /// One key's audit: a row of `key-audit.csv`.
    public struct Entry: Sendable, Hashable {
        public var key: KeyEntry
        public var plan: PlanInference
        /// `nil` for a key with no reported day.
        public var recommendation: PlanRecommendation?
        public var daysReported: Int
        public var daysAtQuota: Int
        /// The last day at quota.
        public var lastAtQuota: Day?
        public var peakUsed: Int?
        public var peakDate: Day?
        public var peakUtilisation: Double?
        /// The day with the highest share of its limit, as whole numbers (what the reports write, in decimal).
        public var peakShare: UsageShare?
        public var anomaly: AnomalyDetector.Finding
        public var dormant: Bool
        public var new: Bool
        /// The first known day: the earliest day the store or the month before holds, else the range's first
        /// reported day.
        public var firstKnown: Day?
        /// The first and the last day with a call.
        public var firstCall: Day?
        public var lastCall: Day?
        public var flags: [AuditFlag]
        public var reason: String
        /// The month in progress, when the range ends in it.
        public var forecast: UsageForecast?
    }

    /// The days without a call, from the first known day, that make a key's first call `new`: fewer quiet days
    /// are an idle stretch (a weekend, a holiday, a quiet first week of a month), not a key that did not exist.
    public static let newQuietDays = 14

    public var options: AuditOptions
    /// One entry per key of the dataset, in manifest order.
    public var entries: [Entry]
    /// The total of the keys' forecasts, when the range ends in a month in progress.
    public var forecastTotal: UsageForecast?

    /// Audits every key of `dataset`.
    public init(dataset: UsageDataset, options: AuditOptions = AuditOptions()) {
        self.options = options
        let today = options.today ?? Day(containing: dataset.generatedAt)
        let detector = AnomalyDetector(thresholds: options.anomaly)
        self.entries = dataset.keys.enumerated().map { index, usage in
            let before = (dataset.previous?.days.indices.contains(index) == true ? dataset.previous?.days[index] : nil)
            let known = KnownBefore(
                previousMonth: before ?? [], earlier: dataset.earlier[usage.key.appKey])
            return Self.audit(
                usage, known: known, range: dataset.range, today: today, detector: detector, options: options)
        }
        self.forecastTotal = UsageForecast.total(entries.compactMap(\.forecast))
    }

    /// What is known of a key before the range: the month before (a billing export's) and the store's days.
    struct KnownBefore {
        /// The earliest known day before the range.
        var firstDay: Day?
        /// Whether any known day before the range had a call.
        var called: Bool

        init(previousMonth: [DayUsage], earlier: EarlierUsage?) {
            let reported = previousMonth.filter { $0.status != .missing && $0.used != nil }
            let days = reported.map(\.date) + (earlier.map { [$0.firstDay] } ?? [])
            firstDay = days.min()
            called = reported.contains { ($0.used ?? 0) > 0 } || earlier?.lastCall != nil
        }
    }

    private static func audit(
        _ usage: KeyUsage, known: KnownBefore, range: DayRange, today: Day, detector: AnomalyDetector,
        options: AuditOptions
    ) -> Entry {
        let days = usage.days
        let plan = PlanInference(days: days)
        var entry = Entry(
            key: usage.key, plan: plan, recommendation: nil, daysReported: 0, daysAtQuota: 0, lastAtQuota: nil,
            peakUsed: nil, peakDate: nil, peakUtilisation: nil, peakShare: nil,
            anomaly: AnomalyDetector.Finding(days: []), dormant: false, new: false, firstKnown: known.firstDay,
            firstCall: nil, lastCall: nil, flags: [], reason: "", forecast: nil)
        var peakLimit = 0
        for day in days where day.status != .missing {
            guard let used = day.used else { continue }
            entry.daysReported += 1
            if day.remaining == 0 {
                entry.daysAtQuota += 1
                entry.lastAtQuota = day.date
            }
            if used > (entry.peakUsed ?? -1) {
                entry.peakUsed = used
                entry.peakDate = day.date
                peakLimit = used + (day.remaining ?? 0)
            }
            if let remaining = day.remaining, let share = UsageShare(used: used, remaining: remaining),
                entry.peakShare.map({ $0 < share }) ?? true
            {
                entry.peakShare = share
                entry.peakUtilisation = share.value
            }
            if entry.firstKnown == nil { entry.firstKnown = day.date }
            if used > 0 {
                if entry.firstCall == nil { entry.firstCall = day.date }
                entry.lastCall = day.date
            }
        }
        guard entry.daysReported > 0 else {
            entry.flags = [.noData]
            entry.reason =
                usage.failureReason.map { "no data: refused by the service: \($0)" }
                ?? "no data: every day of the range is missing"
            return entry
        }
        entry.anomaly = detector.detect(days)
        let tail = days.filter { $0.date.ordinal > range.to.ordinal - options.dormantDays && $0.status != .missing }
        entry.dormant = !tail.isEmpty && tail.allSatisfy { ($0.used ?? 0) == 0 }
        // New only when a quiet stretch tells it from an idle one: no known call before the first, which comes
        // at least `newQuietDays` after the first known day.
        if !known.called, let first = entry.firstCall, let firstKnown = entry.firstKnown {
            entry.new = first.ordinal - firstKnown.ordinal >= newQuietDays
        }
        entry.forecast = UsageForecast.make(days: days, range: range, today: today)
        if let current = plan.currentLimit, current > 0, let peak = entry.peakUsed {
            entry.recommendation = PlanRecommendation(
                currentLimit: current, peak: peak, peakLimit: peakLimit, daysAtQuota: entry.daysAtQuota,
                headroom: options.headroom)
        }

        if entry.daysAtQuota > 0 {
            entry.flags.append(.atQuota)
        } else if (entry.peakUtilisation ?? 0) >= options.nearQuota {
            entry.flags.append(.nearQuota)
        }
        if !entry.anomaly.days.isEmpty { entry.flags.append(.anomaly) }
        if entry.dormant { entry.flags.append(.dormant) }
        if entry.new { entry.flags.append(.new) }
        if !plan.changes.isEmpty { entry.flags.append(.planChange) }
        entry.reason = reason(entry, options: options)
        return entry
    }

    private static func reason(_ entry: Entry, options: AuditOptions) -> String {
        var parts: [String] = []
        if let recommendation = entry.recommendation {
            parts.append(recommendation.reason)
        } else {
            parts.append("no daily limit reported: no plan to recommend")
        }
        for change in entry.plan.changes {
            parts.append(
                "limit \(PlanRecommendation.grouped(change.from)) → \(PlanRecommendation.grouped(change.to)) "
                    + "on \(change.date)")
        }
        if let first = entry.anomaly.first, let used = entry.anomaly.firstUsed {
            let baseline = Int((entry.anomaly.baselineMedian ?? 0).rounded())
            let high = Int((entry.anomaly.baselineHigh ?? 0).rounded())
            let jump =
                entry.anomaly.jump.map { " (\(ExactFigures.text(ExactFigures.decimal($0, places: 1), places: 1))×)" }
                ?? ""
            parts.append(
                "anomaly from \(first): \(PlanRecommendation.grouped(used)) calls against a baseline of "
                    + "\(PlanRecommendation.grouped(baseline)) and usual highs of \(PlanRecommendation.grouped(high))"
                    + "\(jump), \(entry.anomaly.days.count) days")
        }
        if entry.dormant {
            let since = entry.lastCall.map { "last call \($0)" } ?? "no call in the range"
            parts.append("dormant: no call in the last \(options.dormantDays) days (\(since)): a candidate to revoke")
        }
        if entry.new, let first = entry.firstCall, let known = entry.firstKnown {
            parts.append(
                "new: first call \(first), \(first.ordinal - known.ordinal) days after the first known day \(known)")
        }
        return parts.joined(separator: "; ")
    }
}
