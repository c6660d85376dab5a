import UsageCore

extension Day {
    /// `YYYY-MM-DD`, without `String(format:)`: reports format hundreds of thousands of dates.
    var isoText: String {
        let (year, month, day) = components
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        Day.appendDigits(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Day.appendDigits(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Day.appendDigits(day, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM`: the calendar month of the day.
    var monthText: String {
        let (year, month, _) = components
        var bytes: [UInt8] = []
        Day.appendDigits(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Day.appendDigits(month, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-Www`: the ISO 8601 week of the day.
    var isoWeekText: String {
        let (year, week) = isoWeek
        var bytes: [UInt8] = []
        Day.appendDigits(year, width: 4, to: &bytes)
        bytes.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: "W")])
        Day.appendDigits(week, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The Excel serial number of the day (1900 date system): days since 1899-12-30.
    var excelSerial: Double { Double(ordinal + 25_569) }

    private static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value < 0 ? -value : value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        if digits.count < width {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count))
        }
        bytes.append(contentsOf: digits.reversed())
    }
}
