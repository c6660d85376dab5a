import Foundation
import UsageCore
import XLSXKit

/// A `ReportTable` as worksheets (the Summary, the template's tables and the analyses' tables): header row
/// frozen, a filter, data and subtotal rows, the footer below; rows past the limit go on in `Title (2)`, ….
struct TableSheetWriter {
    let table: ReportTable
    let styles: XLSXStyles
    let rowLimit: Int

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
            if !table.columns.isEmpty {
                try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: dataRows, lastColumn: lastColumn)
            }
            var row = 1
            while index < end {
                let tableRow = allRows[index]
                let rowFormats = try formatsOfRow(TableSheetWriter.tone(tableRow))
                try write(tableRow, on: sheet, row: row, formats: rowFormats)
                row += 1
                index += 1
            }
            part += 1
        } while index < allRows.count
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
            case let .decimal(value): try sheet.write(row, column, number: value, format: cellFormat)
            case let .date(day): try sheet.write(row, column, number: day.excelSerial, format: cellFormat)
            case let .money(amount, currency):
                // The workbook stores a double: that is the display; the exact figure is in the CSV and JSON.
                let format = try styles.moneyFormat(currency, tone: TableSheetWriter.tone(tableRow))
                try sheet.write(row, column, number: NSDecimalNumber(decimal: amount).doubleValue, format: format)
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
