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
        public var anomaly: AnomalyDetector.Finding
        public var dormant: Bool
        public var new: Bool
        /// The first and the last day with a call.
        public var firstCall: Day?
        public var lastCall: Day?
        public var flags: [AuditFlag]
        public var reason: String
        /// The month in progress, when the range ends in it.
        public var forecast: UsageForecast?
    }

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
        self.entries = dataset.keys.map {
            Self.audit($0, range: dataset.range, today: today, detector: detector, options: options)
        }
        self.forecastTotal = UsageForecast.total(entries.compactMap(\.forecast))
    }

    private static func audit(
        _ usage: KeyUsage, range: DayRange, today: Day, detector: AnomalyDetector, options: AuditOptions
    ) -> Entry {
        let days = usage.days
        let plan = PlanInference(days: days)
        var entry = Entry(
            key: usage.key, plan: plan, recommendation: nil, daysReported: 0, daysAtQuota: 0, lastAtQuota: nil,
            peakUsed: nil, peakDate: nil, peakUtilisation: nil, anomaly: AnomalyDetector.Finding(days: []),
            dormant: false, new: false, firstCall: nil, lastCall: nil, flags: [], reason: "", forecast: nil)
        var peakLimit = 0
        var zeroBeforeFirstCall = false
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
            if let utilisation = day.utilisation {
                entry.peakUtilisation = max(entry.peakUtilisation ?? 0, utilisation)
            }
            if used > 0 {
                if entry.firstCall == nil { entry.firstCall = day.date }
                entry.lastCall = day.date
            } else if entry.firstCall == nil {
                zeroBeforeFirstCall = true
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
        entry.new = zeroBeforeFirstCall && (entry.firstCall.map { $0 > range.from } ?? false)
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
            let jump = entry.anomaly.jump.map { " (\(String(format: "%.1f", $0))×)" } ?? ""
            parts.append(
                "anomaly from \(first): \(PlanRecommendation.grouped(used)) calls against a baseline of "
                    + "\(PlanRecommendation.grouped(baseline))\(jump), \(entry.anomaly.days.count) days")
        }
        if entry.dormant {
            let since = entry.lastCall.map { "last call \($0)" } ?? "no call in the range"
            parts.append("dormant: no call in the last \(options.dormantDays) days (\(since)): a candidate to revoke")
        }
        if entry.new, let first = entry.firstCall { parts.append("new: first call \(first)") }
        return parts.joined(separator: "; ")
    }
}
