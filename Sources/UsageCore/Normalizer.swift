/// Turns the series the service returned for each chunk into one ordered series of days per key.
///
/// A chunk whose series does not match the days asked marks the days it cannot vouch for `missing`: never
/// zero-filled, never shifted.
public enum Normalizer {
    /// What a chunk's answer did not account for, for a warning.
    public struct Discrepancy: Sendable, Hashable {
        public var chunk: DayRange
        public var asked: Int
        public var returned: Int
    }

    /// The days of `chunk` from `series`, with today `provisional`.
    ///
    /// Pairs without dates run in order from the `startDate` the body states beside them (AWS's wire format
    /// states both ends), or from the chunk's first day when it states none: fewer than the range leave the later
    /// days `missing`; more than it cannot be placed, and the whole chunk is `missing`. Dated entries are placed by
    /// date; a day given twice, a day after `today` and a day outside the chunk are never taken.
    public static func days(
        of chunk: DayRange, from series: [UsageFigure], stated: DayRange? = nil, today: Day
    ) -> (days: [DayUsage], discrepancy: Discrepancy?) {
        var days = chunk.map { DayUsage.missing($0) }
        let discrepancy =
            series.count == chunk.count ? nil : Discrepancy(chunk: chunk, asked: chunk.count, returned: series.count)
        let series = dated(series, stated: stated)
        if !series.isEmpty, series.allSatisfy({ $0.date != nil }) {
            var seen = Set<Int>()
            var doubled = Set<Int>()
            for figure in series {
                guard let date = figure.date, date <= today, let offset = chunk.offset(of: date) else { continue }
                if !seen.insert(offset).inserted { doubled.insert(offset) }
                days[offset] = DayUsage(
                    date: date, used: figure.used, remaining: figure.remaining,
                    status: status(of: date, today: today))
            }
            for offset in doubled { days[offset] = .missing(days[offset].date) }
            return (days, discrepancy)
        }
        guard series.count <= chunk.count else { return (days, discrepancy) }
        for (offset, figure) in series.enumerated() {
            let date = days[offset].date
            guard date <= today else { continue }
            days[offset] = DayUsage(
                date: date, used: figure.used, remaining: figure.remaining,
                status: status(of: date, today: today))
        }
        return (days, discrepancy)
    }

    package static func status(of day: Day, today: Day) -> DayStatus { day == today ? .provisional : .ok }

    /// Undated pairs given the days of the range the body states, when it states one and the pairs fit in it;
    /// otherwise the series as it came.
    static func dated(_ series: [UsageFigure], stated: DayRange?) -> [UsageFigure] {
        guard let stated, !series.isEmpty, series.count <= stated.count, series.allSatisfy({ $0.date == nil })
        else { return series }
        return series.enumerated().map { offset, figure in
            UsageFigure(used: figure.used, remaining: figure.remaining, date: stated.from.adding(days: offset))
        }
    }
}

/// One day's figures as a chunk returned them, the date only when the body named it.
public struct UsageFigure: Sendable, Hashable {
    public var used: Int
    public var remaining: Int?
    public var date: Day?

    public init(used: Int, remaining: Int?, date: Day? = nil) {
        self.used = used
        self.remaining = remaining
        self.date = date
    }
}
