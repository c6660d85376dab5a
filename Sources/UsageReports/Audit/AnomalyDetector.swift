import UsageCore

/// Finds the days a key's calls rise far above its own recent baseline: a leaked key or a runaway program.
///
/// A reported day is *elevated* when, against the median `m` and the median absolute deviation `MAD` of the
/// previous `window` reported days (at least `minDays` of them), its calls `x` meet all three of
/// `x − m ≥ z × max(1.4826 × MAD, 1)`, `x ≥ ratio × m` and `x − m ≥ minCalls`. A run of at least `run` elevated
/// reported days in a row is an anomaly; missing days neither break nor extend a run. Median and MAD are robust:
/// a few zero days or a day at quota in the window barely move them, so usage that wanders within its usual range
/// is not flagged. The window starts at the key's first call in the range, so a new key's first days are not
/// a jump from nothing (a key idle for a month that wakes up is one), and again at a change of the daily limit
/// (usage under a new plan is not measured against the old one).
public struct AnomalyDetector: Sendable {
    /// One key's anomalies.
    public struct Finding: Sendable, Hashable {
        /// The days of every run of elevated days long enough to count, in date order.
        public var days: [Day]
        /// The first anomalous day.
        public var first: Day? { days.first }
        /// The baseline median before the first anomalous day.
        public var baselineMedian: Double?
        /// The baseline MAD before the first anomalous day.
        public var baselineMAD: Double?
        /// The calls of the first anomalous day.
        public var firstUsed: Int?

        /// How many times the baseline the first day was (`nil` over a zero baseline).
        public var jump: Double? {
            guard let baselineMedian, let firstUsed, baselineMedian > 0 else { return nil }
            return Double(firstUsed) / baselineMedian
        }
    }

    public var thresholds: AnomalyThresholds

    public init(thresholds: AnomalyThresholds = AnomalyThresholds()) {
        self.thresholds = thresholds
    }

    /// The anomalies of one key's days (any order of statuses; missing days are skipped).
    public func detect(_ days: [DayUsage]) -> Finding {
        let reported = days.compactMap { day -> (Day, Int, Int?)? in
            guard day.status != .missing, let used = day.used else { return nil }
            return (day.date, used, day.remaining.map { used + $0 })
        }
        var finding = Finding(days: [])
        var run: [(index: Int, median: Double, mad: Double)] = []
        func close() {
            guard run.count >= thresholds.run else { return }
            if finding.days.isEmpty, let start = run.first {
                finding.baselineMedian = start.median
                finding.baselineMAD = start.mad
                finding.firstUsed = reported[start.index].1
            }
            finding.days += run.map { reported[$0.index].0 }
        }
        // A key's baseline starts at its first call: the first days of a new key are not a jump from nothing.
        let firstCall = reported.firstIndex { $0.1 > 0 } ?? reported.count
        // A change of the daily limit is a new plan: the baseline starts again from it.
        var regimeStart = 0
        for index in reported.indices {
            if index > 0, let limit = reported[index].2, let previous = reported[index - 1].2, limit != previous {
                regimeStart = index
            }
            let lower = max(firstCall, regimeStart, index - thresholds.window)
            guard index - lower >= thresholds.minDays else { continue }
            let window = reported[lower..<index].map { Double($0.1) }
            let median = Self.median(window)
            let mad = Self.median(window.map { abs($0 - median) })
            let value = Double(reported[index].1)
            let scale = max(1.4826 * mad, 1)
            let elevated =
                value - median >= thresholds.z * scale && value >= thresholds.ratio * median
                && value - median >= Double(thresholds.minCalls)
            if elevated {
                run.append((index, median, mad))
            } else {
                close()
                run = []
            }
        }
        close()
        return finding
    }

    /// The median of `values` (the mean of the middle two for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
