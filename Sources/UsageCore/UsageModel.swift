import Foundation

/// How far a day's figures can be trusted.
public enum DayStatus: String, Sendable, Codable, CaseIterable {
    /// A settled figure reported by the service.
    case ok
    /// Today's figure so far: it will still grow.
    case provisional
    /// The service did not report this day (no data, a short chunk, or a failed key); counts are unknown.
    case missing
}

/// One key's usage on one UTC day.
public struct DayUsage: Hashable, Sendable, Codable {
    public var date: Day
    /// Calls counted against the usage plan that day; `nil` when `missing`.
    public var used: Int?
    /// Quota left at the end of that day; `nil` when `missing` or not reported.
    public var remaining: Int?
    public var status: DayStatus

    public init(date: Day, used: Int?, remaining: Int?, status: DayStatus) {
        self.date = date
        self.used = used
        self.remaining = remaining
        self.status = status
    }

    /// A day the service did not report.
    public static func missing(_ date: Day) -> DayUsage {
        DayUsage(date: date, used: nil, remaining: nil, status: .missing)
    }

    /// `used / (used + remaining)`, or `nil` when unknown or the plan reports no quota.
    public var utilisation: Double? {
        guard let used, let remaining, used + remaining > 0 else { return nil }
        return Double(used) / Double(used + remaining)
    }
}

/// Whether a key's series is whole.
public enum KeyStatus: String, Sendable, Codable {
    /// Every day of the range was reported (`ok` or `provisional`).
    case complete
    /// Some days are `missing` (no data or not returned): not a failure.
    case incomplete
    /// The service refused the key for good; it has no days.
    case failed
}

/// Totals over one key's days. Counts include `ok` and `provisional` days; missing days are counted apart.
public struct KeyTotals: Hashable, Sendable, Codable {
    public var daysOk: Int
    public var daysProvisional: Int
    public var daysMissing: Int
    public var used: Int
    /// Mean calls per reported day; `nil` with no reported day.
    public var meanPerDay: Double?
    public var peakDate: Day?
    public var peakUsed: Int?
    /// Days whose remaining quota was 0.
    public var daysAtQuota: Int
    public var meanUtilisation: Double?
    public var peakUtilisation: Double?

    public init(days: [DayUsage]) {
        var ok = 0
        var provisional = 0
        var missing = 0
        var used = 0
        var peak: DayUsage?
        var atQuota = 0
        var utilisationSum = 0.0
        var utilisationCount = 0
        var peakUtilisation: Double?
        for day in days {
            switch day.status {
            case .ok: ok += 1
            case .provisional: provisional += 1
            case .missing:
                missing += 1
                continue
            }
            let count = day.used ?? 0
            used += count
            if let best = peak?.used, best >= count {} else { peak = day }
            if day.remaining == 0 { atQuota += 1 }
            if let utilisation = day.utilisation {
                utilisationSum += utilisation
                utilisationCount += 1
                peakUtilisation = max(peakUtilisation ?? 0, utilisation)
            }
        }
        let reported = ok + provisional
        self.daysOk = ok
        self.daysProvisional = provisional
        self.daysMissing = missing
        self.used = used
        self.meanPerDay = reported > 0 ? Double(used) / Double(reported) : nil
        self.peakDate = peak?.date
        self.peakUsed = peak?.used
        self.daysAtQuota = atQuota
        self.meanUtilisation = utilisationCount > 0 ? utilisationSum / Double(utilisationCount) : nil
        self.peakUtilisation = peakUtilisation
    }
}

/// One key's report: its series of days over the whole range, or its failure.
public struct KeyUsage: Hashable, Sendable {
    public var key: KeyEntry
    public var status: KeyStatus
    /// One entry per day of the range in date order; empty when `failed`.
    public var days: [DayUsage]
    public var totals: KeyTotals
    /// Why the key failed, when `failed`.
    public var failureReason: String?

    public init(key: KeyEntry, days: [DayUsage], failureReason: String? = nil) {
        self.key = key
        self.days = failureReason == nil ? days : []
        self.failureReason = failureReason
        if failureReason != nil {
            self.status = .failed
        } else {
            self.status = days.contains { $0.status == .missing } ? .incomplete : .complete
        }
        self.totals = KeyTotals(days: self.days)
    }
}

/// A key the service refused for good, as listed under `failures`.
public struct KeyFailure: Hashable, Sendable, Codable {
    public var appKey: String
    public var userId: String
    public var label: String
    public var reason: String

    public init(appKey: String, userId: String, label: String, reason: String) {
        self.appKey = appKey
        self.userId = userId
        self.label = label
        self.reason = reason
    }
}

/// Everything an export produced: the normalized usage of every key over one range.
public struct UsageDataset: Hashable, Sendable {
    /// When the data was fetched (or the report built).
    public var generatedAt: Date
    /// The ttid environment name (`ext_uat_cert`, `ext_prod_live`).
    public var environment: String
    public var range: DayRange
    /// One entry per manifest key, in manifest order.
    public var keys: [KeyUsage]
    /// Options worth recording in a report (no secrets), in display order.
    public var options: [(name: String, value: String)] = []
    /// The month before the range, when a billing export fetched it for month over month; in no table.
    public var previous: PreviousMonth?
    /// What the usage store held of each key (by app key) before the range, when the report was built with a
    /// store; in no table.
    public var earlier: [String: EarlierUsage] = [:]

    public init(
        generatedAt: Date, environment: String, range: DayRange, keys: [KeyUsage],
        options: [(name: String, value: String)] = []
    ) {
        self.generatedAt = generatedAt
        self.environment = environment
        self.range = range
        self.keys = keys
        self.options = options
    }

    /// The failed keys, in manifest order.
    public var failures: [KeyFailure] {
        keys.compactMap { usage in
            usage.failureReason.map {
                KeyFailure(appKey: usage.key.appKey, userId: usage.key.userId, label: usage.key.label, reason: $0)
            }
        }
    }

    public static func == (lhs: UsageDataset, rhs: UsageDataset) -> Bool {
        lhs.generatedAt == rhs.generatedAt && lhs.environment == rhs.environment && lhs.range == rhs.range
            && lhs.keys == rhs.keys && lhs.options.map(\.name) == rhs.options.map(\.name)
            && lhs.options.map(\.value) == rhs.options.map(\.value) && lhs.previous == rhs.previous
            && lhs.earlier == rhs.earlier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(generatedAt)
        hasher.combine(environment)
        hasher.combine(range)
        hasher.combine(keys)
    }
}
