import Foundation
import UsageAnalysis
import UsageCore

/// The kind of values a column holds, which decides how each format writes them.
enum CellType: String, Sendable, Hashable {
    /// Free text, written as a string (never a formula).
    case text
    /// A whole number.
    case integer
    /// A number with decimals (means), an exact decimal with two places.
    case decimal
    /// A fraction shown as a percentage in the workbook and on the page, an exact decimal with four places.
    case percent
    /// A UTC day: `YYYY-MM-DD` in CSV and JSON, a real date in the workbook.
    case date
    /// An amount of money: an exact decimal string with the currency's minor digits in CSV and JSON, a number in a
    /// currency format in the workbook.
    case money
}

/// One value of a report table.
enum ReportCell: Hashable, Sendable {
    case text(String)
    case integer(Int)
    /// An exact decimal (a mean, a ratio) rounded once, written with exactly `places` places in every format.
    case decimal(Decimal, places: Int)
    case date(Day)
    /// An exact amount in a currency (never a `Double` on its way to CSV or JSON).
    case money(Decimal, currency: CurrencyCode)
    /// No value: an empty CSV cell, `null` in JSON, a blank cell in the workbook.
    case empty

    /// Orders two cells of one column ascending; empty cells come last in either direction.
    static func compare(_ lhs: ReportCell, _ rhs: ReportCell) -> ComparisonResult {
        switch (lhs, rhs) {
        case (.empty, .empty): return .same
        case (.empty, _): return .after
        case (_, .empty): return .before
        case let (.text(a), .text(b)):
            let folded = a.lowercased(), other = b.lowercased()
            if folded != other { return folded < other ? .before : .after }
            return a == b ? .same : (a < b ? .before : .after)
        case let (.date(a), .date(b)): return a == b ? .same : (a < b ? .before : .after)
        case let (.money(a, _), .money(b, _)): return a == b ? .same : (a < b ? .before : .after)
        default:
            let a = lhs.numericValue ?? 0, b = rhs.numericValue ?? 0
            return a == b ? .same : (a < b ? .before : .after)
        }
    }

    /// How two cells compare, with empty cells always last.
    enum ComparisonResult { case before, same, after }

    /// A mean rounded to ``ExactFigures/meanPlaces``.
    static func mean(_ value: Decimal) -> ReportCell {
        .decimal(ExactFigures.round(value, places: ExactFigures.meanPlaces), places: ExactFigures.meanPlaces)
    }

    /// A fraction of 1 rounded to ``ExactFigures/fractionPlaces``.
    static func fraction(_ value: Decimal) -> ReportCell {
        .decimal(
            ExactFigures.round(value, places: ExactFigures.fractionPlaces), places: ExactFigures.fractionPlaces)
    }

    /// The cell's exact text in CSV and JSON: `decimal` cells with their stated places.
    static func decimalText(_ value: Decimal, places: Int) -> String {
        ExactFigures.text(value, places: places)
    }

    var numericValue: Double? {
        switch self {
        case let .integer(value): Double(value)
        case let .decimal(value, _): NSDecimalNumber(decimal: value).doubleValue
        case let .date(day): Double(day.ordinal)
        // Only for ordering: the amount itself is written from the Decimal.
        case let .money(amount, _): NSDecimalNumber(decimal: amount).doubleValue
        case .text, .empty: nil
        }
    }
}
