internal import CXLSXWriter

/// A chart of an `XLSXWorkbook`, which owns it: configured, then placed on a worksheet with `insert`.
public struct XLSXChart {
    /// The kinds of chart this wrapper makes.
    public enum Kind: Sendable {
        case line, column, bar

        var code: UInt8 {
            switch self {
            case .line: UInt8(LXW_CHART_LINE.rawValue)
            case .column: UInt8(LXW_CHART_COLUMN.rawValue)
            case .bar: UInt8(LXW_CHART_BAR.rawValue)
            }
        }
    }

    /// A cell range on a worksheet: rows and columns from 0, inclusive.
    public struct Range: Sendable {
        public var sheet: String
        public var firstRow: Int
        public var firstColumn: Int
        public var lastRow: Int
        public var lastColumn: Int

        /// The cells from (`firstRow`, `firstColumn`) to (`lastRow`, `lastColumn`) of `sheet`.
        public init(sheet: String, firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
            self.sheet = sheet
            self.firstRow = firstRow
            self.firstColumn = firstColumn
            self.lastRow = lastRow
            self.lastColumn = lastColumn
        }
    }

    let handle: UnsafeMutablePointer<lxw_chart>

    /// Adds a series whose name is the text of a cell (never parsed as a formula, whatever it holds).
    public func addSeries(categories: Range, values: Range, nameRow: Int, nameColumn: Int) {
        guard let series = chart_add_series(handle, nil, nil) else { return }
        categories.sheet.withCString { sheet in
            chart_series_set_categories(
                series, sheet, lxw_row_t(categories.firstRow), lxw_col_t(categories.firstColumn),
                lxw_row_t(categories.lastRow), lxw_col_t(categories.lastColumn))
        }
        values.sheet.withCString { sheet in
            chart_series_set_values(
                series, sheet, lxw_row_t(values.firstRow), lxw_col_t(values.firstColumn),
                lxw_row_t(values.lastRow), lxw_col_t(values.lastColumn))
            chart_series_set_name_range(series, sheet, lxw_row_t(nameRow), lxw_col_t(nameColumn))
        }
    }

    /// Sets the title and the names of the axes (fixed text of this tool, never user data).
    public func setTitles(chart title: String, xAxis: String, yAxis: String) {
        chart_title_set_name(handle, title)
        chart_axis_set_name(handle.pointee.x_axis, xAxis)
        chart_axis_set_name(handle.pointee.y_axis, yAxis)
        chart_axis_set_num_format(handle.pointee.y_axis, "#,##0")
        chart_axis_set_num_format(handle.pointee.x_axis, "yyyy-mm-dd")
        chart_show_blanks_as(handle, UInt8(LXW_CHART_BLANKS_AS_GAP.rawValue))
    }

    /// Shows the legend below the plot, or hides it.
    public func setLegend(visible: Bool) {
        if visible {
            chart_legend_set_position(handle, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        } else {
            chart_legend_set_position(handle, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
        }
    }
}
