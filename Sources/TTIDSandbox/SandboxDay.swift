import Foundation

/// A UTC calendar day as a count of days since 1970-01-01, with strict `YYYY-MM-DD` parsing.
///
/// The emulator keeps its own day and syntax rules rather than the client's `Day`: it stands for the service, so a
/// bug in the client's date arithmetic must not be mirrored by the service the tests check it against.
struct SandboxDay: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (negative before it).
    var ordinal: Int

    init(ordinal: Int) {
        self.ordinal = ordinal
    }

    /// Parses exactly `YYYY-MM-DD` with a real month and day; anything else is `nil`.
    init?(_ text: some StringProtocol) {
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
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.ordinal = Self.ordinal(year: year, month: month, day: day)
    }

    /// The UTC day that contains `date`.
    init(containing date: Date) {
        self.ordinal = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Seconds elapsed in this day at `date`, clamped to 0…86_400.
    func secondsElapsed(at date: Date) -> Int {
        let seconds = date.timeIntervalSince1970 - Double(self.ordinal) * 86_400
        return Int(min(max(seconds, 0), 86_400).rounded(.down))
    }

    /// Monday is 0, Sunday is 6 (1970-01-01 was a Thursday).
    var weekday: Int {
        ((self.ordinal + 3) % 7 + 7) % 7
    }

    /// The day `days` later.
    func adding(_ days: Int) -> SandboxDay {
        SandboxDay(ordinal: self.ordinal + days)
    }

    /// `YYYY-MM-DD`.
    var text: String {
        // Howard Hinnant's civil_from_days.
        let z = self.ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
    }

    static func < (lhs: SandboxDay, rhs: SandboxDay) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil.
    private static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
