import UsageAnalysis
import XLSXKit

/// The report's cell looks, by value type and kind of row, made into the workbook's formats once each.
final class XLSXStyles {
    /// The kind of row a cell is on.
    enum Tone: Hashable {
        case plain, header, flagged, subtotal, total, title
    }

    private struct Key: Hashable {
        var type: CellType
        var tone: Tone
    }

    let workbook: XLSXWorkbook
    private var made: [Key: XLSXCellFormat] = [:]
    private var money: [String: XLSXCellFormat] = [:]

    init(_ workbook: XLSXWorkbook) {
        self.workbook = workbook
    }

    /// The format of a cell of `type` on a row of `tone`.
    func format(_ type: CellType, _ tone: Tone) throws -> XLSXCellFormat {
        let key = Key(type: type, tone: tone)
        if let format = made[key] { return format }
        let format = try workbook.format(XLSXStyles.look(type, tone))
        made[key] = format
        return format
    }

    /// The look of a cell of `type` on a row of `tone`, as plain values.
    static func look(_ type: CellType, _ tone: Tone) -> XLSXFormat {
        var look = XLSXFormat()
        switch type {
        case .text: break
        case .integer: look.numberFormat = "#,##0"
        case .decimal: look.numberFormat = "#,##0.00"
        case .percent: look.numberFormat = "0.0%"
        case .date: look.numberFormat = "yyyy-mm-dd"
        case .money: look.numberFormat = "#,##0.00"
        }
        switch tone {
        case .plain: break
        case .title:
            look.bold = true
            look.fontSize = 13
        case .header:
            look.bold = true
            look.fill = 0xD9E1F2
            look.bottom = .thin
        case .flagged:
            look.fill = 0xFCE4D6
        case .subtotal:
            look.bold = true
            look.fill = 0xF2F2F2
            look.top = .thin
        case .total:
            look.bold = true
            look.fill = 0xDDEBF7
            look.top = .thin
            look.bottom = .double
        }
        return look
    }

    /// The format of an amount in `currency` on a row of `tone`: the currency's minor digits and its code,
    /// `#,##0.00 "USD"` (made once per currency and tone).
    func moneyFormat(_ currency: CurrencyCode, tone: Tone) throws -> XLSXCellFormat {
        let key = "\(currency.code)|\(tone)"
        if let format = money[key] { return format }
        let digits = currency.minorUnit > 0 ? "." + String(repeating: "0", count: currency.minorUnit) : ""
        var look = XLSXStyles.look(.money, tone)
        look.numberFormat = "#,##0\(digits) \"\(currency.code)\""
        let format = try workbook.format(look)
        money[key] = format
        return format
    }
}
