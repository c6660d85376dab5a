import CXLSXWriter

/// A worksheet of an `XLSXWorkbook`, which owns it: valid until the workbook is closed.
///
/// Text is always written with `worksheet_write_string`, so a label such as `=1+1` stays text, never a formula.
struct XLSXWorksheet {
    let handle: UnsafeMutablePointer<lxw_worksheet>
    let path: String
    let name: String

    /// Writes text (cut to Excel's 32,767 characters).
    func write(_ row: Int, _ column: Int, text: String, format: UnsafeMutablePointer<lxw_format>? = nil) throws {
        let cell = XLSXWorkbook.cellText(text)
        let result = cell.withCString {
            worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(column), $0, format)
        }
        try check(result, row, column)
    }

    /// Writes text already held as a NUL-terminated C string (for values repeated on many rows).
    @inline(__always)
    func write(
        _ row: Int, _ column: Int, cString: UnsafePointer<CChar>, format: UnsafeMutablePointer<lxw_format>? = nil
    ) throws {
        let result = worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(column), cString, format)
        if result != LXW_NO_ERROR { try check(result, row, column) }
    }

    /// Writes a number.
    @inline(__always)
    func write(_ row: Int, _ column: Int, number: Double, format: UnsafeMutablePointer<lxw_format>? = nil) throws {
        let result = worksheet_write_number(handle, lxw_row_t(row), lxw_col_t(column), number, format)
        if result != LXW_NO_ERROR { try check(result, row, column) }
    }

    /// Writes an empty cell that carries a format (a fill or border); without a format it writes nothing.
    func blank(_ row: Int, _ column: Int, format: UnsafeMutablePointer<lxw_format>?) throws {
        guard let format else { return }
        try check(worksheet_write_blank(handle, lxw_row_t(row), lxw_col_t(column), format), row, column)
    }

    /// Sets the width (in characters) of columns `first` through `last`.
    func setColumns(_ first: Int, _ last: Int, width: Double) throws {
        let result = worksheet_set_column(handle, lxw_col_t(first), lxw_col_t(last), width, nil)
        try check(result, 0, first)
    }

    /// Freezes the rows above `row` and the columns left of `column`.
    func freezePanes(row: Int, column: Int) {
        worksheet_freeze_panes(handle, lxw_row_t(row), lxw_col_t(column))
    }

    /// Puts an autofilter on the given cell range (its first row being the header). In constant-memory mode this
    /// must come before any row below `firstRow` is written.
    func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws {
        let result = worksheet_autofilter(
            handle, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn))
        try check(result, firstRow, firstColumn)
    }

    /// Places `chart` with its top left corner on the cell, scaled.
    func insert(_ chart: XLSXChart, row: Int, column: Int, xScale: Double = 1, yScale: Double = 1) throws {
        var options = lxw_chart_options()
        options.x_scale = xScale
        options.y_scale = yScale
        let result = worksheet_insert_chart_opt(handle, lxw_row_t(row), lxw_col_t(column), chart.handle, &options)
        try check(result, row, column)
    }

    private func check(_ result: lxw_error, _ row: Int, _ column: Int) throws {
        guard result != LXW_NO_ERROR else { return }
        throw ReportError.xlsx(
            path: path, operation: "writing sheet \"\(name)\" row \(row + 1) column \(column + 1)",
            message: XLSXWorkbook.message(result))
    }
}
