import UsageCore
import XLSXKit

/// The Charts sheet: the daily total of calls and the busiest keys' daily calls as data, with a line chart of
/// each beside it (the charts read their data from this sheet).
struct ChartsSheetWriter {
    let dataset: UsageDataset
    let styles: XLSXStyles
    let rowLimit: Int
    let print: XLSXPrint

    func write(names: inout SheetNames) throws {
        let workbook = styles.workbook
        let name = try names.take("Charts", part: 1)
        let sheet = try workbook.addWorksheet(name)
        let header = try styles.format(.text, .header)
        let dateFormat = try styles.format(.date, .plain)
        let countFormat = try styles.format(.integer, .plain)

        let range = dataset.range
        let days = min(range.count, rowLimit - 1)
        var totals = [Int?](repeating: nil, count: days)
        var busiest: [(index: Int, used: Int)] = []
        for (index, usage) in dataset.keys.enumerated() where usage.status != .failed {
            for day in usage.days {
                guard let offset = range.offset(of: day.date), offset < days, day.status != .missing else { continue }
                totals[offset] = (totals[offset] ?? 0) + (day.used ?? 0)
            }
            if usage.totals.used > 0 { busiest.append((index, usage.totals.used)) }
        }
        busiest.sort { $0.used != $1.used ? $0.used > $1.used : $0.index < $1.index }
        let top = busiest.prefix(5).map { dataset.keys[$0.index] }
        let series = top.map { TableBuilder.aligned($0.days, to: range) }

        try sheet.setColumns(0, 0, width: 11.5)
        try sheet.setColumns(1, 1 + top.count, width: 14)
        try sheet.write(0, 0, text: "date", format: header)
        try sheet.write(0, 1, text: "all_keys", format: header)
        for (column, usage) in top.enumerated() {
            let label =
                usage.key.label.isEmpty ? usage.key.appKey : "\(usage.key.label) (\(usage.key.appKey.prefix(8)))"
            try sheet.write(0, 2 + column, text: label, format: header)
        }
        sheet.freezePanes(row: 1, column: 0)
        for offset in 0..<days {
            let row = offset + 1
            try sheet.write(row, 0, number: range.from.adding(days: offset).excelSerial, format: dateFormat)
            if let total = totals[offset] { try sheet.write(row, 1, number: Double(total), format: countFormat) }
            for (column, days) in series.enumerated() {
                let day = days[offset]
                if day.status != .missing, let used = day.used {
                    try sheet.write(row, 2 + column, number: Double(used), format: countFormat)
                }
            }
        }

        let chartColumn = 3 + top.count
        let categories = XLSXChart.Range(sheet: name, firstRow: 1, firstColumn: 0, lastRow: days, lastColumn: 0)
        let all = try workbook.addChart(.line)
        all.addSeries(
            categories: categories,
            values: .init(sheet: name, firstRow: 1, firstColumn: 1, lastRow: days, lastColumn: 1),
            nameRow: 0, nameColumn: 1)
        all.setTitles(chart: "Calls per day, all keys", xAxis: "Day (UTC)", yAxis: "Calls")
        all.setLegend(visible: false)
        try sheet.insert(all, row: 1, column: chartColumn, xScale: 1.6, yScale: 1.2)

        if !top.isEmpty {
            let chart = try workbook.addChart(.line)
            for column in top.indices {
                chart.addSeries(
                    categories: categories,
                    values: .init(
                        sheet: name, firstRow: 1, firstColumn: 2 + column, lastRow: days, lastColumn: 2 + column),
                    nameRow: 0, nameColumn: 2 + column)
            }
            chart.setTitles(chart: "Busiest keys, calls per day", xAxis: "Day (UTC)", yAxis: "Calls")
            chart.setLegend(visible: true)
            try sheet.insert(chart, row: 21, column: chartColumn, xScale: 1.6, yScale: 1.4)
        }
        // What prints is the two charts, on one landscape page; the numbers are on screen and in Daily.
        var page = XLSXPageSetup()
        page.landscape = true
        page.fitToPages = (1, 1)
        page.printArea = (0, chartColumn, top.isEmpty ? 19 : 42, chartColumn + 12)
        page.footer = print.footer
        page.screenGridlines = false
        try sheet.setPage(page)
    }
}
