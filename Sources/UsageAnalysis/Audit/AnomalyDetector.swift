import UsageCore

/// Finds the days a key's calls rise far above what it has really done lately: a leaked key or a runaway program.
///
/// A reported day with `x` calls is *elevated* when, against the previous `window` reported days (at least
/// `minDays` of them), it meets all four of:
/// - the robust bound: `x − m ≥ z × max(1.4826 × MAD, 1)` and `x ≥ ratio × m` (`m` the median, `MAD` the median
///   absolute deviation);
/// - the usual highs: `x ≥ highFactor × q` (`q` the window's `quantile`, the 90th percentile by default) and `x`
///   above the window's maximum;
/// - the minimum volume: `x − m ≥ minCalls`.
///
/// A run of at least `run` elevated reported days in a row is an anomaly; missing days neither break nor extend a
/// run, and the days of a run are all judged against the window before its first day (a leak's second day is not
/// measured against its first). Median and MAD alone fail on a key idle half its days (its median is near zero,
/// so any busy day stands out); the highs keep a busy day within a key's usual range from being an alarm, while a
/// jump to several times its previous highs that lasts is one. The window starts at the key's first call in the
/// range, so a new key's first days are not a jump from nothing, and again at a change of the daily limit (usage
/// under a new plan is not measured against the old one).
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
        /// The window's high quantile before the first anomalous day (its usual highs).
        public var baselineHigh: Double?
        /// The window's most calls in a day before the first anomalous day.
        public var baselineMax: Int?
        /// The calls of the first anomalous day.
        public var firstUsed: Int?

        /// How many times its usual highs the first day was (`nil` over highs of zero).
        public var jump: Double? {
            guard let baselineHigh, let firstUsed, baselineHigh > 0 else { return nil }
            return Double(firstUsed) / baselineHigh
        }
    }

    /// The figures of a trailing window that a day is judged against.
    struct Baseline {
        var median: Double
        var mad: Double
        var high: Double
        var maximum: Int
    }

    public var thresholds: AnomalyThresholds

    public init(thresholds: AnomalyThresholds = AnomalyThresholds()) {
        self.thresholds = thresholds
    }

    /// The anomalies of one key's days (any order of statuses; missing days are skipped).
    public func detect(_ days: [DayUsage]) -> Finding {
        let reported = days.compactMap { day -> (date: Day, used: Int, limit: Int?)? in
            guard day.status != .missing, let used = day.used else { return nil }
            return (day.date, used, day.remaining.map { used + $0 })
        }
        var finding = Finding(days: [])
        var run: [Int] = []
        var runBaseline: Baseline?
        func close() {
            defer {
                run = []
                runBaseline = nil
            }
            guard run.count >= thresholds.run, let start = run.first, let baseline = runBaseline else { return }
            if finding.days.isEmpty {
                finding.baselineMedian = baseline.median
                finding.baselineMAD = baseline.mad
                finding.baselineHigh = baseline.high
                finding.baselineMax = baseline.maximum
                finding.firstUsed = reported[start].used
            }
            finding.days += run.map { reported[$0].date }
        }
        // A key's baseline starts at its first call: the first days of a new key are not a jump from nothing.
        let firstCall = reported.firstIndex { $0.used > 0 } ?? reported.count
        // A change of the daily limit is a new plan: the baseline starts again from it.
        var regimeStart = 0
        for index in reported.indices {
            if index > 0, let limit = reported[index].limit, let previous = reported[index - 1].limit,
                limit != previous
            {
                close()
                regimeStart = index
            }
            let baseline: Baseline
            if let frozen = runBaseline {
                baseline = frozen
            } else {
                let lower = max(firstCall, regimeStart, index - thresholds.window)
                guard index - lower >= thresholds.minDays else { continue }
                baseline = Self.baseline(reported[lower..<index].map { $0.used }, quantile: thresholds.quantile)
            }
            if isElevated(reported[index].used, over: baseline) {
                if run.isEmpty { runBaseline = baseline }
                run.append(index)
            } else {
                close()
            }
        }
        close()
        return finding
    }

    /// Whether `used` calls stand out against `baseline` by every rule of the thresholds.
    func isElevated(_ used: Int, over baseline: Baseline) -> Bool {
        let value = Double(used)
        let scale = max(1.4826 * baseline.mad, 1)
        return value - baseline.median >= thresholds.z * scale
            && value >= thresholds.ratio * baseline.median
            && value - baseline.median >= Double(thresholds.minCalls)
            && value >= thresholds.highFactor * baseline.high
            && used > baseline.maximum
    }

    static func baseline(_ window: [Int], quantile: Double) -> Baseline {
        let sorted = window.map(Double.init).sorted()
        let median = Self.quantile(sorted, 0.5)
        let deviations = sorted.map { abs($0 - median) }.sorted()
        return Baseline(
            median: median, mad: Self.quantile(deviations, 0.5), high: Self.quantile(sorted, quantile),
            maximum: window.max() ?? 0)
    }

    /// The `p` quantile of sorted `values`, linear between the closest ranks (the median is the mean of the
    /// middle two for an even count); 0 for none.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }

    /// The median of `values`; 0 for none.
    static func median(_ values: [Double]) -> Double {
        quantile(values.sorted(), 0.5)
    }
}
