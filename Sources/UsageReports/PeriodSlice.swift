import UsageCore

/// One period of a report's range (a day, an ISO week or a calendar month, cut to the range), with the offsets
/// of its days in the range.
struct PeriodSlice: Hashable, Sendable {
    var period: TableSpec.Period?
    /// `YYYY-MM-DD`, `YYYY-Www` or `YYYY-MM`; empty for the whole range.
    var label: String
    var start: Day
    var end: Day
    var offsets: Range<Int>

    /// The whole range as one slice.
    static func whole(_ range: DayRange) -> PeriodSlice {
        PeriodSlice(period: nil, label: "", start: range.from, end: range.to, offsets: 0..<range.count)
    }

    /// The consecutive periods of `range`, in order; the first and last may be cut short by the range.
    static func slices(of range: DayRange, by period: TableSpec.Period?) -> [PeriodSlice] {
        guard let period else { return [whole(range)] }
        var result: [PeriodSlice] = []
        var startOffset = 0
        var startDay = range.from
        var currentKey = key(of: range.from, period)
        for offset in 1...range.count {
            let day = range.from.adding(days: offset)
            let next = offset < range.count ? key(of: day, period) : -1
            if next != currentKey {
                let end = range.from.adding(days: offset - 1)
                result.append(
                    PeriodSlice(
                        period: period, label: label(of: startDay, period), start: startDay, end: end,
                        offsets: startOffset..<offset))
                startOffset = offset
                startDay = day
                currentKey = next
            }
        }
        return result
    }

    private static func key(of day: Day, _ period: TableSpec.Period) -> Int {
        switch period {
        case .day: return day.ordinal
        case .isoWeek:
            let (year, week) = day.isoWeek
            return year * 100 + week
        case .month:
            let (year, month, _) = day.components
            return year * 100 + month
        }
    }

    private static func label(of day: Day, _ period: TableSpec.Period) -> String {
        switch period {
        case .day: day.isoText
        case .isoWeek: day.isoWeekText
        case .month: day.monthText
        }
    }
}
