/// The report range as the user asked for it: `--from`/`--to` or `--month`, checked against today.
public struct RangeRequest: Sendable, Hashable {
    /// The range to fetch: the days asked, cut at today.
    public var range: DayRange
    /// The `--to` asked for when it lay in the future and was cut to today.
    public var requestedTo: Day?
    /// Today, UTC: its figure is provisional.
    public var today: Day

    /// Whether the range reaches today (and so holds a provisional day).
    public var includesToday: Bool { range.contains(today) }

    /// Checks the options; every failure is a usage error (exit 64) with the reason.
    public init(from: String?, to: String?, month: String?, today: Day) throws(RangeError) {
        self.today = today
        var first: Day
        var last: Day
        if let month {
            guard from == nil, to == nil else { throw RangeError("--month cannot be combined with --from or --to") }
            let parts = month.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
                let number = Int(parts[1]), let range = DayRange(year: year, month: number)
            else { throw RangeError("--month \(month) is not a month (expected YYYY-MM, for example 2026-10)") }
            first = range.from
            last = range.to
        } else {
            guard let from else { throw RangeError("give --from and --to (YYYY-MM-DD), or --month YYYY-MM") }
            guard let to else { throw RangeError("--to is missing (the last day of the range, YYYY-MM-DD)") }
            guard let parsedFrom = Day(iso: from) else {
                throw RangeError("--from \(from) is not a date (expected YYYY-MM-DD, a day that exists)")
            }
            guard let parsedTo = Day(iso: to) else {
                throw RangeError("--to \(to) is not a date (expected YYYY-MM-DD, a day that exists)")
            }
            guard parsedFrom <= parsedTo else { throw RangeError("--to \(to) is before --from \(from)") }
            first = parsedFrom
            last = parsedTo
        }
        guard first <= today else {
            throw RangeError("the range starts \(first), in the future (today is \(today) UTC)")
        }
        if last > today {
            requestedTo = last
            last = today
        }
        guard let range = DayRange(from: first, to: last) else {
            throw RangeError("the range \(first)…\(last) is empty")
        }
        self.range = range
    }
}

/// A date option with a bad value (exit 64).
public struct RangeError: CategorizedError, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var category: ExitCategory { .usage }
    public var description: String { message }
}
