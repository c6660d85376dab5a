/// An inclusive range of UTC days, `from` through `to`.
public struct DayRange: Hashable, Sendable, Sequence, Codable, CustomStringConvertible {
    /// The first day.
    public let from: Day
    /// The last day (inclusive).
    public let to: Day

    /// A range; `nil` when `to` is before `from`.
    public init?(from: Day, to: Day) {
        guard from <= to else { return nil }
        self.from = from
        self.to = to
    }

    /// The calendar month `year`-`month` (1–12).
    public init?(year: Int, month: Int) {
        guard let first = Day(year: year, month: month, day: 1) else { return nil }
        self.from = first
        self.to = first.adding(days: Day.daysIn(month: month, year: year) - 1)
    }

    /// The number of days in the range.
    public var count: Int { to.ordinal - from.ordinal + 1 }

    /// Whether `day` lies in the range.
    public func contains(_ day: Day) -> Bool { from <= day && day <= to }

    /// Consecutive chunks of at most `days` days starting at `from`; the last chunk takes what is left.
    public func chunks(of days: Int) -> [DayRange] {
        let size = Swift.max(1, days)
        var result: [DayRange] = []
        result.reserveCapacity((count + size - 1) / size)
        var start = from
        while start <= to {
            let end = Swift.min(to, start.adding(days: size - 1))
            result.append(DayRange(uncheckedFrom: start, to: end))
            start = end.adding(days: 1)
        }
        return result
    }

    /// The position of `day` in the range (0 for `from`), or `nil` outside it.
    public func offset(of day: Day) -> Int? { contains(day) ? day.ordinal - from.ordinal : nil }

    public func makeIterator() -> AnyIterator<Day> {
        var next = from.ordinal
        let last = to.ordinal
        return AnyIterator {
            guard next <= last else { return nil }
            defer { next += 1 }
            return Day(ordinal: next)
        }
    }

    public var description: String { "\(from)…\(to)" }

    init(uncheckedFrom from: Day, to: Day) {
        self.from = from
        self.to = to
    }

    enum CodingKeys: String, CodingKey { case from, to }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let from = try container.decode(Day.self, forKey: .from)
        let to = try container.decode(Day.self, forKey: .to)
        guard from <= to else {
            throw DecodingError.dataCorruptedError(
                forKey: .to, in: container, debugDescription: "range ends (\(to)) before it starts (\(from))")
        }
        self.init(uncheckedFrom: from, to: to)
    }
}
