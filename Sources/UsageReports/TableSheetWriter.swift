import Foundation
import UsageAnalysis
import UsageCore
import XLSXKit

/// A `ReportTable` as worksheets (the Summary, the template's tables and the analyses' tables): header row
/// frozen, data and subtotal rows, the footer below; rows past the limit go on in `Title (2)`, ….
///
/// In a workbook held in memory each sheet's rows are an Excel table named after the table's id (its own
/// filter, banded rows, the footer's grand total as the table's total row); in a streamed workbook, where
/// libxlsxwriter cannot make tables, they are a range with a worksheet autofilter.
struct TableSheetWriter {
    let table: ReportTable
    let styles: XLSXStyles
    let rowLimit: Int
    let print: XLSXPrint

    func write(names: inout SheetNames) throws {
        let workbook = styles.workbook
        let header = try styles.format(.text, .header)
        // Each kind of row gets the formats of its columns once, not a look-up per cell.
        var formats: [XLSXStyles.Tone: [XLSXCellFormat?]] = [:]
        func formatsOfRow(_ tone: XLSXStyles.Tone) throws -> [XLSXCellFormat?] {
            if let made = formats[tone] { return made }
            let made = try table.columns.map { column -> XLSXCellFormat? in
                column.type == .text && tone == .plain ? nil : try styles.format(column.type, tone)
            }
            formats[tone] = made
            return made
        }
        let widths = columnWidths()
        let lastColumn = max(table.columns.count - 1, 0)
        let allRows = table.rows + table.footer
        var part = 1
        var index = 0
        repeat {
            let sheet = try workbook.addWorksheet(try names.take(table.title, part: part))
            for (column, width) in widths.enumerated() { try sheet.setColumns(column, column, width: width) }
            for (column, info) in table.columns.enumerated() {
                try sheet.write(0, column, text: info.header, format: header)
            }
            sheet.freezePanes(row: 1, column: 0)
            // The filter covers this sheet's data and subtotal rows, not the footer; with constant memory it must
            // be set before the rows are written.
            let end = min(allRows.count, index + rowLimit - 1)
            let dataRows = max(0, min(end, table.rows.count) - index)
            let asTable = !workbook.constantMemory && !table.columns.isEmpty
            if !table.columns.isEmpty && !asTable {
                try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: dataRows, lastColumn: lastColumn)
            }
            let first = index
            try print.setUp(sheet, widths: widths, rows: 1 + end - index, bordered: asTable)
            var row = 1
            while index < end {
                let tableRow = allRows[index]
                let rowFormats = try formatsOfRow(TableSheetWriter.tone(tableRow))
                try write(tableRow, on: sheet, row: row, formats: rowFormats)
                row += 1
                index += 1
            }
            if asTable {
                try addTable(to: sheet, part: part, rows: first..<end, names: &names, formats: try formatsOfRow(.total))
            }
            part += 1
        } while index < allRows.count
    }

    /// Makes the rows `rows` of `allRows` just written on `sheet` (below its header) an Excel table; a single
    /// grand total row at their end becomes the table's total row.
    private func addTable(
        to sheet: XLSXWorksheet, part: Int, rows: Range<Int>, names: inout SheetNames, formats: [XLSXCellFormat?]
    ) throws {
        let footerStart = table.rows.count
        let total =
            table.footer.count == 1 && table.footer[0].kind == .total && rows.upperBound > footerStart
            && rows.lowerBound < footerStart
        let inTable = total ? rows.upperBound : min(rows.upperBound, footerStart)
        let columns = table.columns.enumerated().map { column, info in
            XLSXTable.Column(
                header: info.header, total: total ? self.total(column) : .none, totalFormat: formats[column])
        }
        let name = try names.takeTable(table.id, part: part)
        let made = XLSXTable(name: name, columns: columns, totalRow: total)
        // The table needs a data row: an empty table spans one blank row.
        let lastRow = max(inTable - rows.lowerBound, total ? 2 : 1)
        try sheet.addTable(
            made, firstRow: 0, firstColumn: 0, lastRow: lastRow, headerFormat: try styles.format(.text, .header))
    }

    /// What the total row shows in `column`: the footer's text as a label, its numbers and dates as values.
    /// The values are the footer's own (a grand total, a mean, a share), not `SUBTOTAL` formulas: the workbook
    /// holds no formula at all, so nothing in it is ever evaluated.
    private func total(_ column: Int) -> XLSXTable.Total {
        switch table.footer[0].cells[column] {
        case .empty: return .none
        case let .text(text): return .label(text)
        case let .date(day): return .value(day.excelSerial)
        case let .integer(value): return .value(Double(value))
        case let .decimal(value, places): return .value(Self.double(value, places: places))
        case let .money(amount, currency): return .value(Self.double(amount, currency: currency))
        }
    }

    /// The double nearest the decimal's written text: the workbook stores binary numbers, and this one is the
    /// one whose shortest text is the decimal itself (`0.1229`, never `0.12290000000000001`).
    /// (A Decimal's description is its plain digits, the written text less its trailing zeros.)
    static func double(_ value: Decimal, places: Int) -> Double {
        let rounded = ExactFigures.round(value, places: places)
        return Double(rounded.description) ?? NSDecimalNumber(decimal: rounded).doubleValue
    }

    /// An amount as the double nearest its exact text (`940.69`, never `940.6899999999999`).
    static func double(_ amount: Decimal, currency: CurrencyCode) -> Double {
        Double(amount.description) ?? NSDecimalNumber(decimal: amount).doubleValue
    }

    static func tone(_ row: ReportTable.Row) -> XLSXStyles.Tone {
        switch row.kind {
        case .data: row.flagged ? .flagged : .plain
        case .subtotal: .subtotal
        case .total: .total
        }
    }

    private func write(_ tableRow: ReportTable.Row, on sheet: XLSXWorksheet, row: Int, formats: [XLSXCellFormat?])
        throws
    {
        let plain = tableRow.kind == .data && !tableRow.flagged
        for (column, cell) in tableRow.cells.enumerated() {
            let cellFormat = formats[column]
            switch cell {
            case let .text(text): try sheet.write(row, column, text: text, format: cellFormat)
            case let .integer(value): try sheet.write(row, column, number: Double(value), format: cellFormat)
            case let .decimal(value, places):
                try sheet.write(row, column, number: Self.double(value, places: places), format: cellFormat)
            case let .date(day): try sheet.write(row, column, number: day.excelSerial, format: cellFormat)
            case let .money(amount, currency):
                // The workbook stores a double: that is the display; the exact figure is in the CSV and JSON.
                let format = try styles.moneyFormat(currency, tone: TableSheetWriter.tone(tableRow))
                try sheet.write(row, column, number: Self.double(amount, currency: currency), format: format)
            case .empty: try sheet.blank(row, column, format: plain ? nil : cellFormat)
            }
        }
    }

    private func columnWidths() -> [Double] {
        table.columns.enumerated().map { column, info in
            let headerWidth = Double(info.header.count) + 3
            switch info.type {
            case .date: return max(11.5, headerWidth)
            case .integer: return max(10, headerWidth)
            case .decimal, .percent, .money: return max(11, headerWidth)
            case .text:
                var longest = 0
                for row in table.rows.prefix(2_000) {
                    if case let .text(text) = row.cells[column] { longest = max(longest, text.count) }
                }
                return min(max(Double(longest) + 2, headerWidth, 8), 60)
            }
        }
    }
}
