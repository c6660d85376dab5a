import Foundation
import UsageAnalysis
import UsageCore

/// How a report cell reads on the page: grouped digits, percentages and amounts with their currency for people,
/// and beside it (in `data-value`) the cell exactly as the CSV file writes it, for anyone who copies the figure.
enum HTMLCellText {
    /// The cell as people read it.
    static func display(_ cell: ReportCell, type: CellType) -> String {
        switch cell {
        case let .text(text): return clean(text)
        case let .integer(value): return grouped(value)
        case let .decimal(value, places):
            if type == .percent { return percent(value) }
            return groupedMoney(ExactFigures.text(value, places: places))
        case let .date(day): return day.isoText
        case let .money(amount, currency):
            return groupedMoney(Money.text(amount, currency: currency)) + " " + currency.code
        case .empty: return ""
        }
    }

    /// The cell exactly as `CSVWriter` writes it (the same functions), without the CSV quoting.
    static func exact(_ cell: ReportCell) -> String {
        switch cell {
        case let .text(text): return clean(text)
        case let .integer(value): return String(value)
        case let .decimal(value, places): return ReportCell.decimalText(value, places: places)
        case let .date(day): return day.isoText
        case let .money(amount, currency): return Money.text(amount, currency: currency)
        case .empty: return ""
        }
    }

    /// Text from the manifest, the service or a template with the characters that neither HTML nor XML allows
    /// (C0 controls but tab and line breaks, U+FFFE, U+FFFF) replaced by U+FFFD. Escaping `<`, `&` and quotes is
    /// the template engine's work: every value enters the page through an escaping `{{…}}` tag.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isForbidden(scalar) ? "\u{FFFD}" : scalar) }
        return String(scalars)
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + groupDigits(digits)
    }

    /// An exact fraction as a percentage with one decimal, rounded once: `0.9412` as `94.1%`.
    static func percent(_ fraction: Decimal) -> String {
        groupedMoney(ExactFigures.text(fraction * 100, places: 1)) + "%"
    }

    /// `-1234567.50` as `-1,234,567.50`: the integer part of an exact decimal string grouped, the rest as it is.
    static func groupedMoney(_ text: String) -> String {
        var body = Substring(text)
        var sign = ""
        if body.hasPrefix("-") {
            sign = "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = groupDigits(String(parts.first ?? ""))
        return sign + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    private static func groupDigits(_ digits: String) -> String {
        var text = ""
        text.reserveCapacity(digits.count + digits.count / 3)
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
