import Foundation

/// A UTC calendar day, stored as the number of days since 1970-01-01.
///
/// Usage is counted per UTC day by the ttid service, so every date in the tool is a `Day`: no time zones, no
/// `Calendar` arithmetic on the hot path.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let ordinal: Int

    /// A day from its ordinal (days since 1970-01-01).
    public init(ordinal: Int) { self.ordinal = ordinal }

    /// A day from a proleptic Gregorian year, month (1–12) and day of month; `nil` when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.ordinal = era * 146_097 + doe - 719_468
    }

    /// Parses exactly `YYYY-MM-DD`; `nil` for any other text or an impossible date.
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`, or the date of a UTC timestamp that starts with it (`2026-10-01T00:00:00Z`,
    /// `…+00:00`, or no zone at all), as a service that passes dates through may write them. A timestamp with
    /// another offset names a moment whose UTC day is not its date: `nil`.
    public init?(dateOrUTCTimestamp text: some StringProtocol) {
        if let day = Day(iso: text) {
            self = day
            return
        }
        let text = String(text)
        guard text.count > 10, let separator = text.dropFirst(10).first, separator == "T" || separator == " " else {
            return nil
        }
        let time = text.dropFirst(11)
        let utc = time.hasSuffix("Z") || time.hasSuffix("+00:00") || !time.contains(where: { $0 == "+" || $0 == "-" })
        guard utc else { return nil }
        self.init(iso: text.prefix(10))
    }

    /// The UTC day that contains `date`.
    public init(containing date: Date) {
        self.ordinal = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// The year, month and day of month.
    public var components: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// Midnight UTC at the start of this day.
    public var start: Date { Date(timeIntervalSince1970: TimeInterval(ordinal) * 86_400) }

    /// Day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int { ((ordinal % 7 + 7 + 3) % 7) + 1 }

    /// The ISO 8601 week-numbering year and week (`2026-W05`).
    public var isoWeek: (year: Int, week: Int) {
        let thursday = Day(ordinal: ordinal - isoWeekday + 4)
        let year = thursday.components.year
        guard let january1 = Day(year: year, month: 1, day: 1) else { return (year, 1) }
        return (year, (thursday.ordinal - january1.ordinal) / 7 + 1)
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> Day { Day(ordinal: ordinal + count) }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a YYYY-MM-DD day")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
