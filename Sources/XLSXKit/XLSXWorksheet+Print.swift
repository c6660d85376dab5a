internal import CXLSXWriter

/// How a worksheet prints.
public struct XLSXPageSetup: Sendable {
    /// Landscape rather than portrait.
    public var landscape = false
    /// Pages wide and tall to fit the printed area to; 0 leaves that direction free (`(1, 0)`: one page wide).
    public var fitToPages: (width: Int, height: Int)? = nil
    /// Rows repeated at the top of every page (rows from 0, inclusive).
    public var repeatRows: ClosedRange<Int>? = nil
    /// The footer in Excel's header/footer codes (`&L`, `&C`, `&R`, `&P`, `&N`); at most 255 characters.
    public var footer: String? = nil
    /// The cells that print (rows and columns from 0, inclusive), or nil for all of them.
    public var printArea: (firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int)? = nil
    /// Shows the gridlines on screen; they are never printed.
    public var screenGridlines = true
    /// A4 paper.
    public var a4 = true

    /// The default page: portrait A4, gridlines on screen.
    public init() {}

    /// `text` as literal text inside a header or footer: `&` doubled, cut so that the whole stays short.
    public static func footerText(_ text: String, limit: Int = 80) -> String {
        String(text.prefix(limit)).replacingOccurrences(of: "&", with: "&&")
    }
}

extension XLSXWorksheet {
    /// Sets how the sheet prints.
    public func setPage(_ page: XLSXPageSetup) throws {
        if page.landscape { worksheet_set_landscape(handle) } else { worksheet_set_portrait(handle) }
        if page.a4 { worksheet_set_paper(handle, 9) }
        if let fit = page.fitToPages { worksheet_fit_to_pages(handle, UInt16(fit.width), UInt16(fit.height)) }
        if let rows = page.repeatRows {
            let result = worksheet_repeat_rows(handle, lxw_row_t(rows.lowerBound), lxw_row_t(rows.upperBound))
            try check(result, rows.lowerBound, 0, "worksheet_repeat_rows")
        }
        if let area = page.printArea {
            let result = worksheet_print_area(
                handle, lxw_row_t(area.firstRow), lxw_col_t(area.firstColumn), lxw_row_t(area.lastRow),
                lxw_col_t(area.lastColumn))
            try check(result, area.firstRow, area.firstColumn, "worksheet_print_area")
        }
        if let footer = page.footer {
            let result = footer.withCString { worksheet_set_footer(handle, $0) }
            try check(result, 0, 0, "worksheet_set_footer")
        }
        worksheet_gridlines(
            handle, UInt8(page.screenGridlines ? LXW_SHOW_SCREEN_GRIDLINES.rawValue : LXW_HIDE_ALL_GRIDLINES.rawValue))
    }

    func check(_ result: lxw_error, _ row: Int, _ column: Int, _ operation: String) throws {
        guard result != LXW_NO_ERROR else { return }
        throw XLSXError(
            path: path, operation: "\(operation) on sheet \"\(name)\"", message: XLSXWorkbook.message(result))
    }
}
