internal import CXLSXWriter

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A worksheet of an `XLSXWorkbook`, which owns it: valid until the workbook is closed.
///
/// Text is always written with `worksheet_write_string`, so a label such as `=1+1` stays text, never a formula.
public struct XLSXWorksheet {
    let handle: UnsafeMutablePointer<lxw_worksheet>
    /// The workbook's path, for errors.
    public let path: String
    public let name: String

    /// Writes text (cut to Excel's 32,767 characters).
    public func write(_ row: Int, _ column: Int, text: String, format: XLSXCellFormat? = nil) throws {
        let cell = XLSXWorkbook.cellText(text)
        let result = cell.withCString {
            worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(column), $0, format?.pointer)
        }
        try check(result, row, column)
    }

    /// Writes text already held as a NUL-terminated C string (for values repeated on many rows).
    @inline(__always)
    public func write(_ row: Int, _ column: Int, cString: UnsafePointer<CChar>, format: XLSXCellFormat? = nil) throws {
        let result = worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(column), cString, format?.pointer)
        if result != LXW_NO_ERROR { try check(result, row, column) }
    }

    /// Writes a number.
    @inline(__always)
    public func write(_ row: Int, _ column: Int, number: Double, format: XLSXCellFormat? = nil) throws {
        let result = worksheet_write_number(handle, lxw_row_t(row), lxw_col_t(column), number, format?.pointer)
        if result != LXW_NO_ERROR { try check(result, row, column) }
    }

    /// Writes an empty cell that carries a format (a fill or border); without a format it writes nothing.
    public func blank(_ row: Int, _ column: Int, format: XLSXCellFormat?) throws {
        guard let format else { return }
        try check(worksheet_write_blank(handle, lxw_row_t(row), lxw_col_t(column), format.pointer), row, column)
    }

    /// Sets the width (in characters) of columns `first` through `last`.
    public func setColumns(_ first: Int, _ last: Int, width: Double) throws {
        let result = worksheet_set_column(handle, lxw_col_t(first), lxw_col_t(last), width, nil)
        try check(result, 0, first)
    }

    /// Freezes the rows above `row` and the columns left of `column`.
    public func freezePanes(row: Int, column: Int) {
        worksheet_freeze_panes(handle, lxw_row_t(row), lxw_col_t(column))
    }

    /// Puts an autofilter on the given cell range (its first row being the header). In constant-memory mode this
    /// must come before any row below `firstRow` is written. Never over a table, which has its own filter.
    public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws {
        let result = worksheet_autofilter(
            handle, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn))
        try check(result, firstRow, firstColumn)
    }

    /// Makes the range an Excel table with `table`'s name, header names, banded rows (style Medium 2), its own
    /// filter and, when asked, its total row as the range's last row. libxlsxwriter writes the header cells
    /// itself (with `headerFormat`); this writes the total row's cells with each column's format. Tables need a
    /// workbook made without constant memory.
    public func addTable(
        _ table: XLSXTable, firstRow: Int, firstColumn: Int, lastRow: Int, headerFormat: XLSXCellFormat? = nil
    ) throws {
        let lastColumn = firstColumn + max(table.columns.count, 1) - 1
        var strings = CStringCopies()
        defer { strings.release() }
        var columns: [UnsafeMutablePointer<lxw_table_column>?] = []
        defer { columns.forEach { $0?.deallocate() } }
        for column in table.columns {
            let made = UnsafeMutablePointer<lxw_table_column>.allocate(capacity: 1)
            made.initialize(to: lxw_table_column())
            columns.append(made)
            made.pointee.header = try strings.copy(column.header, path)
            made.pointee.header_format = headerFormat?.pointer
            switch column.total {
            case .none, .value: break
            case let .label(text): made.pointee.total_string = try strings.copy(XLSXWorkbook.cellText(text), path)
            case .sum: made.pointee.total_function = UInt8(LXW_TABLE_FUNCTION_SUM.rawValue)
            }
        }
        columns.append(nil)
        var options = lxw_table_options()
        options.name = try strings.copy(table.name, path)
        options.total_row = table.totalRow ? 1 : 0
        options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_MEDIUM.rawValue)
        options.style_type_number = 2
        let result = columns.withUnsafeMutableBufferPointer { buffer in
            options.columns = buffer.baseAddress
            return worksheet_add_table(
                handle, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn),
                &options)
        }
        guard result == LXW_NO_ERROR else {
            throw XLSXError(
                path: path, operation: "worksheet_add_table(\(table.name)) on sheet \"\(name)\"",
                message: XLSXWorkbook.message(result))
        }
        guard table.totalRow else { return }
        // The total row again, with this tool's formats and the values as cached results (a reader that does not
        // recalculate still shows the totals).
        for (offset, column) in table.columns.enumerated() {
            let cell = firstColumn + offset
            switch column.total {
            case .none: try blank(lastRow, cell, format: column.totalFormat)
            case let .label(text): try write(lastRow, cell, text: text, format: column.totalFormat)
            case let .value(number): try write(lastRow, cell, number: number, format: column.totalFormat)
            case let .sum(value):
                let formula = "SUBTOTAL(109,\(XLSXTable.reference(column.header)))"
                let written = formula.withCString {
                    worksheet_write_formula_num(
                        handle, lxw_row_t(lastRow), lxw_col_t(cell), $0, column.totalFormat?.pointer, value)
                }
                try check(written, lastRow, cell)
            }
        }
    }

    /// Places `chart` with its top left corner on the cell, scaled.
    public func insert(_ chart: XLSXChart, row: Int, column: Int, xScale: Double = 1, yScale: Double = 1) throws {
        var options = lxw_chart_options()
        options.x_scale = xScale
        options.y_scale = yScale
        let result = worksheet_insert_chart_opt(handle, lxw_row_t(row), lxw_col_t(column), chart.handle, &options)
        try check(result, row, column)
    }

    func check(_ result: lxw_error, _ row: Int, _ column: Int) throws {
        guard result != LXW_NO_ERROR else { return }
        throw XLSXError(
            path: path, operation: "writing sheet \"\(name)\" row \(row + 1) column \(column + 1)",
            message: XLSXWorkbook.message(result))
    }
}

/// C copies of strings that must outlive one libxlsxwriter call taking a struct of `char *`.
struct CStringCopies {
    private var copies: [UnsafeMutablePointer<CChar>] = []

    mutating func copy(_ text: String, _ path: String) throws -> UnsafeMutablePointer<CChar> {
        guard let copy = text.withCString({ strdup($0) }) else {
            throw XLSXError(path: path, operation: "strdup", message: "out of memory")
        }
        copies.append(copy)
        return copy
    }

    mutating func release() {
        for copy in copies { free(copy) }
        copies = []
    }
}
