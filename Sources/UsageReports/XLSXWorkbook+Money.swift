import CXLSXWriter
import Foundation

extension XLSXWorkbook {
    /// The format of an amount in `currency` on a row of `tone`: the currency's minor digits and its code,
    /// `#,##0.00 "USD"` (made once per currency and tone).
    func moneyFormat(_ currency: CurrencyCode, tone: Style.Tone) throws -> UnsafeMutablePointer<lxw_format> {
        let digits = currency.minorUnit > 0 ? "." + String(repeating: "0", count: currency.minorUnit) : ""
        return try format(Style(type: .money, tone: tone, numberFormat: "#,##0\(digits) \"\(currency.code)\""))
    }
}

extension XLSXWorksheet {
    /// Writes an amount as a number. The workbook stores a double: that is the display; the exact figure is the
    /// decimal text of the CSV and JSON files.
    func write(_ row: Int, _ column: Int, money: Decimal, format: UnsafeMutablePointer<lxw_format>?) throws {
        try write(row, column, number: NSDecimalNumber(decimal: money).doubleValue, format: format)
    }
}
