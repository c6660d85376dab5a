/// What a usage store holds of one key before a report's range: enough to tell a key that is new from one that
/// was only quiet when the range began. It belongs to no table; the quota audit reads it.
public struct EarlierUsage: Hashable, Sendable {
    /// The earliest day the store holds for the key before the range.
    public var firstDay: Day
    /// The last day before the range with at least one call; `nil` when every day held had none.
    public var lastCall: Day?

    public init(firstDay: Day, lastCall: Day?) {
        self.firstDay = firstDay
        self.lastCall = lastCall
    }

    /// The summary of `days` (the reported days a store holds before a range, any order); `nil` for none.
    public init?(days: [DayUsage]) {
        let reported = days.filter { $0.status != .missing && $0.used != nil }
        guard let first = reported.map(\.date).min() else { return nil }
        self.firstDay = first
        self.lastCall = reported.filter { ($0.used ?? 0) > 0 }.map(\.date).max()
    }
}
