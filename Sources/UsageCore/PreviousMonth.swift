/// The calendar month before a billing range's first, fetched with it so that the first month has a month to be
/// compared with. It belongs to no table of its own: `daily.csv`, `summary.csv` and the rest keep to the range
/// asked; only the month-over-month columns read it.
public struct PreviousMonth: Hashable, Sendable {
    /// The whole month before the range.
    public var range: DayRange
    /// Each key's days of that month, in the order of the dataset's keys (empty for a failed key).
    public var days: [[DayUsage]]

    public init(range: DayRange, days: [[DayUsage]]) {
        self.range = range
        self.days = days
    }

    /// The whole calendar month before `range`'s first day, or `nil` when `range` does not start on a 1st.
    public static func range(before range: DayRange) -> DayRange? {
        let (year, month, day) = range.from.components
        guard day == 1 else { return nil }
        return month == 1 ? DayRange(year: year - 1, month: 12) : DayRange(year: year, month: month - 1)
    }
}

extension UsageDataset {
    /// A dataset fetched over `range` widened by the month before, cut back to `asked`: the days before it move
    /// to `previous`, and every key's series, status and totals keep to the range asked.
    public func splittingPrevious(asked: DayRange) -> UsageDataset {
        guard asked != range, asked.from > range.from else { return self }
        var result = self
        result.range = asked
        var earlier: [[DayUsage]] = []
        result.keys = keys.map { usage in
            earlier.append(usage.days.filter { $0.date < asked.from })
            return KeyUsage(
                key: usage.key, days: usage.days.filter { asked.contains($0.date) }, failureReason: usage.failureReason)
        }
        if let before = DayRange(from: range.from, to: asked.from.adding(days: -1)) {
            result.previous = PreviousMonth(range: before, days: earlier)
        }
        return result
    }
}
