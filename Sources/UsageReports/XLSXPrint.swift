import UsageCore
import XLSXKit

/// How the report's sheets print: A4, one page wide, landscape where the sheet is wider than tall, the header
/// row on every page, and a footer with the report's period and `Page N of M`.
struct XLSXPrint {
    /// The footer, in Excel's header/footer codes.
    let footer: String

    init(range: DayRange) {
        let period = XLSXPageSetup.footerText("TT API key usage, \(range.from.isoText) to \(range.to.isoText)")
        footer = "&L\(period)&RPage &P of &N"
    }

    /// Sets up a sheet of columns `widths` (in characters) and `rows` rows whose first row is a header; a sheet
    /// with borders (a table, the header formats) shows no gridlines.
    func setUp(_ sheet: XLSXWorksheet, widths: [Double], rows: Int, header: Bool = true, bordered: Bool)
        throws
    {
        var page = XLSXPageSetup()
        page.landscape = XLSXPrint.isWide(widths: widths, rows: rows)
        page.fitToPages = (1, 0)
        if header && rows > 0 { page.repeatRows = 0...0 }
        page.footer = footer
        page.screenGridlines = !bordered
        try sheet.setPage(page)
    }

    /// Whether a sheet is wider than tall, in Excel's default pixels (about 7 a character of width, 20 a row).
    static func isWide(widths: [Double], rows: Int) -> Bool {
        widths.reduce(0, +) * 7 + 5 > Double(max(rows, 1)) * 20
    }
}
