import UsageCore
import XLSXKit

/// The Daily sheets: exactly daily.csv's columns and rows, dates as real dates, counts as numbers; past the row
/// limit they go on in `Daily (2)`, …. Each is an Excel table (`daily`, `daily_2`, …) in a workbook held in
/// memory, a range with an autofilter in a streamed one.
struct DailySheetWriter {
    let dataset: UsageDataset
    let styles: XLSXStyles
    let rowLimit: Int
    let print: XLSXPrint
    /// Looked at once a key: an interrupt stops the workbook there.
    var stop: RenderStop? = nil

    func write(names: inout SheetNames) throws {
        let header = try styles.format(.text, .header)
        let dateFormat = try styles.format(.date, .plain)
        let countFormat = try styles.format(.integer, .plain)
        let keys = dataset.keys.filter { $0.status != .failed }
        let keyWidth = Double(keys.reduce(8) { max($0, $1.key.appKey.count) }) + 2
        let userWidth = Double(keys.reduce(8) { max($0, $1.key.userId.count) }) + 2
        let labelWidth = min(Double(keys.reduce(8) { max($0, $1.key.label.count) }) + 2, 60)
        let widths: [Double] = [11.5, keyWidth, userWidth, labelWidth, 10, 11, 12]
        // Text repeated on many rows is made a C string once, not once a cell.
        let strings = CStrings()
        let ok = try strings.make(DayStatus.ok.rawValue)
        let provisional = try strings.make(DayStatus.provisional.rawValue)
        let missing = try strings.make(DayStatus.missing.rawValue)

        var left = keys.reduce(0) { $0 + $1.days.count }
        var part = 1
        var sheet = try start(&names, part: part, rows: min(left, rowLimit - 1), header: header, widths: widths)
        var row = 1
        for usage in keys {
            try stop?.check()
            let appKey = try strings.make(usage.key.appKey)
            let userId = try strings.make(usage.key.userId)
            let label = try strings.make(usage.key.label)
            for day in usage.days {
                if row >= rowLimit {
                    part += 1
                    sheet = try start(&names, part: part, rows: min(left, rowLimit - 1), header: header, widths: widths)
                    row = 1
                }
                try sheet.write(row, 0, number: day.date.excelSerial, format: dateFormat)
                try sheet.write(row, 1, cString: appKey)
                try sheet.write(row, 2, cString: userId)
                try sheet.write(row, 3, cString: label)
                if let used = day.used { try sheet.write(row, 4, number: Double(used), format: countFormat) }
                if let remaining = day.remaining {
                    try sheet.write(row, 5, number: Double(remaining), format: countFormat)
                }
                let status =
                    switch day.status {
                    case .ok: ok
                    case .provisional: provisional
                    case .missing: missing
                    }
                try sheet.write(row, 6, cString: status)
                row += 1
                left -= 1
            }
            strings.release(appKey, userId, label)
        }
    }

    private func start(
        _ names: inout SheetNames, part: Int, rows: Int, header: XLSXCellFormat, widths: [Double]
    ) throws -> XLSXWorksheet {
        let sheet = try styles.workbook.addWorksheet(try names.take("Daily", part: part))
        for (column, width) in widths.enumerated() { try sheet.setColumns(column, column, width: width) }
        for (column, name) in CSVWriter.dailyHeader.enumerated() {
            try sheet.write(0, column, text: name, format: header)
        }
        sheet.freezePanes(row: 1, column: 0)
        let asTable = !styles.workbook.constantMemory
        if asTable {
            let columns = CSVWriter.dailyHeader.map { XLSXTable.Column(header: $0) }
            let table = XLSXTable(name: try names.takeTable("daily", part: part), columns: columns)
            try sheet.addTable(table, firstRow: 0, firstColumn: 0, lastRow: max(rows, 1), headerFormat: header)
        } else {
            try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: rows, lastColumn: 6)
        }
        try print.setUp(sheet, widths: widths, rows: rows + 1, bordered: asTable)
        return sheet
    }
}
