import CXLSXWriter
import Foundation
import UsageCore

/// Lays a report out as a workbook for people: `Summary` first, `Daily` (going on in `Daily (2)`, … past the row
/// limit), a sheet per template table, `Charts` and `About`.
struct XLSXReportWriter {
    let dataset: UsageDataset
    /// The summary table first, then the template's tables.
    let tables: [ReportTable]
    let options: RenderOptions

    /// The columns of a worksheet.
    static let columnLimit = 16_384

    private var rowLimit: Int { options.effectiveRowLimit }

    /// Checks, before anything is written, that every table fits a worksheet's columns.
    static func validate(_ tables: [ReportTable], template: ReportTemplate) throws {
        for table in tables where table.columns.count > columnLimit {
            throw ReportError.tooLarge(
                "table \"\(table.id)\" of template \(template.name) has \(table.columns.count) columns, more than "
                    + "an XLSX sheet's \(columnLimit): shorten the range or group its columns by iso-week or month")
        }
    }

    /// Writes the workbook to `path` (which must not exist yet).
    func write(to path: String) throws {
        try XLSXReportWriter.validate(tables, template: options.template)
        let dailyRows = dataset.keys.reduce(0) { $0 + ($1.status == .failed ? 0 : $1.days.count) }
        // ZIP64 only when the file could pass 4 GB: Excel warns about it otherwise.
        let workbook = try XLSXWorkbook(path: path, constantMemory: true, useZip64: dailyRows > 8_000_000)
        let range = "\(dataset.range.from.isoText) to \(dataset.range.to.isoText)"
        try workbook.setProperties(
            title: "TT API key usage, \(range)",
            subject: "Daily usage of TT REST API 2.0 application keys (\(dataset.environment))",
            author: "ttusage \(options.toolVersion)",
            keywords: "ttusage, TT REST API, key usage, \(options.template.name)",
            comments: "Made by ttusage \(options.toolVersion) with the \(options.template.name) template",
            created: dataset.generatedAt)
        try workbook.setCustomProperty("ttusage version", options.toolVersion)

        var names = SheetNames()
        if let summary = tables.first { try writeTable(summary, to: workbook, names: &names) }
        try writeDaily(to: workbook, names: &names)
        for table in tables.dropFirst() { try writeTable(table, to: workbook, names: &names) }
        try writeCharts(to: workbook, names: &names)
        try writeAbout(to: workbook, names: &names)
        try workbook.close()
    }

    // MARK: - Tables

    /// A table as a sheet: header row frozen, autofilter, data and subtotal rows, the footer below; rows past the
    /// limit go on in `Title (2)`, ….
    private func writeTable(_ table: ReportTable, to workbook: XLSXWorkbook, names: inout SheetNames) throws {
        let header = try workbook.format(.init(type: .text, tone: .header))
        // Each kind of row gets the formats of its columns once, not a look-up per cell.
        var formats: [XLSXWorkbook.Style.Tone: [UnsafeMutablePointer<lxw_format>?]] = [:]
        func formatsOfRow(_ tone: XLSXWorkbook.Style.Tone) throws -> [UnsafeMutablePointer<lxw_format>?] {
            if let made = formats[tone] { return made }
            let made = try table.columns.map { column -> UnsafeMutablePointer<lxw_format>? in
                column.type == .text && tone == .plain ? nil : try workbook.format(.init(type: column.type, tone: tone))
            }
            formats[tone] = made
            return made
        }
        let widths = columnWidths(table)
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
                let tone: XLSXWorkbook.Style.Tone =
                    switch tableRow.kind {
                    case .data: tableRow.flagged ? .flagged : .plain
                    case .subtotal: .subtotal
                    case .total: .total
                    }
                let rowFormats = try formatsOfRow(tone)
                for (column, cell) in tableRow.cells.enumerated() {
                    let cellFormat = rowFormats[column]
                    switch cell {
                    case let .text(text): try sheet.write(row, column, text: text, format: cellFormat)
                    case let .integer(value): try sheet.write(row, column, number: Double(value), format: cellFormat)
                    case let .decimal(value): try sheet.write(row, column, number: value, format: cellFormat)
                    case let .date(day): try sheet.write(row, column, number: day.excelSerial, format: cellFormat)
                    case let .money(amount, currency):
                        try sheet.write(
                            row, column, money: amount, format: try workbook.moneyFormat(currency, tone: tone))
                    case .empty: try sheet.blank(row, column, format: tone == .plain ? nil : cellFormat)
                    }
                }
                row += 1
                index += 1
            }
            part += 1
        } while index < allRows.count
    }

    private func columnWidths(_ table: ReportTable) -> [Double] {
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

    // MARK: - Daily

    /// The Daily sheets: exactly daily.csv's columns and rows, dates as real dates, counts as numbers.
    private func writeDaily(to workbook: XLSXWorkbook, names: inout SheetNames) throws {
        let header = try workbook.format(.init(type: .text, tone: .header))
        let dateFormat = try workbook.format(.init(type: .date, tone: .plain))
        let countFormat = try workbook.format(.init(type: .integer, tone: .plain))
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
        var sheet = try startDaily(
            workbook, &names, part: part, rows: min(left, rowLimit - 1), header: header, widths: widths)
        var row = 1
        for usage in keys {
            let appKey = try strings.make(usage.key.appKey)
            let userId = try strings.make(usage.key.userId)
            let label = try strings.make(usage.key.label)
            for day in usage.days {
                if row >= rowLimit {
                    part += 1
                    sheet = try startDaily(
                        workbook, &names, part: part, rows: min(left, rowLimit - 1), header: header, widths: widths)
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

    private func startDaily(
        _ workbook: XLSXWorkbook, _ names: inout SheetNames, part: Int, rows: Int,
        header: UnsafeMutablePointer<lxw_format>, widths: [Double]
    ) throws -> XLSXWorksheet {
        let sheet = try workbook.addWorksheet(try names.take("Daily", part: part))
        for (column, width) in widths.enumerated() { try sheet.setColumns(column, column, width: width) }
        for (column, name) in CSVWriter.dailyHeader.enumerated() {
            try sheet.write(0, column, text: name, format: header)
        }
        sheet.freezePanes(row: 1, column: 0)
        try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: rows, lastColumn: 6)
        return sheet
    }

    // MARK: - Charts

    /// The Charts sheet: the daily total of calls and the busiest keys' daily calls as data, with a line chart
    /// of each beside it (the charts read their data from this sheet).
    private func writeCharts(to workbook: XLSXWorkbook, names: inout SheetNames) throws {
        let name = try names.take("Charts", part: 1)
        let sheet = try workbook.addWorksheet(name)
        let header = try workbook.format(.init(type: .text, tone: .header))
        let dateFormat = try workbook.format(.init(type: .date, tone: .plain))
        let countFormat = try workbook.format(.init(type: .integer, tone: .plain))

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
        let all = try workbook.addChart(LXW_CHART_LINE)
        all.addSeries(
            categories: categories,
            values: .init(sheet: name, firstRow: 1, firstColumn: 1, lastRow: days, lastColumn: 1),
            nameRow: 0, nameColumn: 1)
        all.setTitles(chart: "Calls per day, all keys", xAxis: "Day (UTC)", yAxis: "Calls")
        all.setLegend(visible: false)
        try sheet.insert(all, row: 1, column: chartColumn, xScale: 1.6, yScale: 1.2)

        if !top.isEmpty {
            let chart = try workbook.addChart(LXW_CHART_LINE)
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
    }

    // MARK: - About

    /// The About sheet: what the report covers, how and when it was made, the options, failures and missing days.
    private func writeAbout(to workbook: XLSXWorkbook, names: inout SheetNames) throws {
        let sheet = try workbook.addWorksheet(try names.take("About", part: 1))
        let title = try workbook.format(.init(type: .text, tone: .title))
        let header = try workbook.format(.init(type: .text, tone: .header))
        let dateFormat = try workbook.format(.init(type: .date, tone: .plain))
        let countFormat = try workbook.format(.init(type: .integer, tone: .plain))
        for (column, width) in [24.0, 40, 16, 24, 60].enumerated() {
            try sheet.setColumns(column, column, width: width)
        }

        var row = 0
        try sheet.write(row, 0, text: "TT API key usage report", format: title)
        row += 2
        func item(_ name: String, _ value: String) throws {
            try sheet.write(row, 0, text: name, format: header)
            try sheet.write(row, 1, text: value)
            row += 1
        }
        func item(_ name: String, day: Day) throws {
            try sheet.write(row, 0, text: name, format: header)
            try sheet.write(row, 1, number: day.excelSerial, format: dateFormat)
            row += 1
        }
        func item(_ name: String, count: Int) throws {
            try sheet.write(row, 0, text: name, format: header)
            try sheet.write(row, 1, number: Double(count), format: countFormat)
            row += 1
        }
        let keys = dataset.keys
        try item("environment", dataset.environment)
        try item("from", day: dataset.range.from)
        try item("to", day: dataset.range.to)
        try item("days", count: dataset.range.count)
        try item("generated_at", JSONText.timestamp(dataset.generatedAt))
        try item("generated_by", "ttusage \(options.toolVersion)")
        try item(
            "template",
            options.template.source == "bundled"
                ? options.template.name : "\(options.template.name) (\(options.template.source))")
        try item("keys", count: keys.count)
        try item("keys_complete", count: keys.filter { $0.status == .complete }.count)
        try item("keys_incomplete", count: keys.filter { $0.status == .incomplete }.count)
        try item("keys_failed", count: keys.filter { $0.status == .failed }.count)

        row += 1
        try sheet.write(row, 0, text: "Options", format: title)
        row += 1
        if dataset.options.isEmpty {
            try sheet.write(row, 0, text: "none recorded")
            row += 1
        }
        for option in dataset.options { try item(option.name, option.value) }

        row += 1
        try sheet.write(row, 0, text: "Failures", format: title)
        row += 1
        let failures = dataset.failures
        if failures.isEmpty {
            try sheet.write(row, 0, text: "none")
            row += 1
        } else {
            for (column, name) in ["app_key", "user_id", "label", "reason"].enumerated() {
                try sheet.write(row, column, text: name, format: header)
            }
            row += 1
            for failure in failures {
                for (column, text) in [failure.appKey, failure.userId, failure.label, failure.reason].enumerated() {
                    try sheet.write(row, column, text: text)
                }
                row += 1
            }
        }

        row += 1
        try sheet.write(row, 0, text: "Missing days", format: title)
        row += 1
        let incomplete = keys.filter { $0.status == .incomplete }
        if incomplete.isEmpty {
            try sheet.write(row, 0, text: "none")
            row += 1
        } else {
            for (column, name) in ["app_key", "user_id", "label", "days_missing", "dates"].enumerated() {
                try sheet.write(row, column, text: name, format: header)
            }
            row += 1
            for usage in incomplete {
                try sheet.write(row, 0, text: usage.key.appKey)
                try sheet.write(row, 1, text: usage.key.userId)
                try sheet.write(row, 2, text: usage.key.label)
                try sheet.write(row, 3, number: Double(usage.totals.daysMissing), format: countFormat)
                try sheet.write(row, 4, text: XLSXReportWriter.missingSpans(usage.days))
                row += 1
            }
        }
    }

    /// The missing days of a series as spans: `2026-10-03 to 2026-10-05, 2026-10-09`.
    static func missingSpans(_ days: [DayUsage]) -> String {
        var spans: [String] = []
        var start: Day?
        var end: Day?
        func close() {
            guard let first = start, let last = end else { return }
            spans.append(first == last ? first.isoText : "\(first.isoText) to \(last.isoText)")
        }
        for day in days where day.status == .missing {
            if let last = end, day.date.ordinal == last.ordinal + 1 {
                end = day.date
            } else {
                close()
                start = day.date
                end = day.date
            }
        }
        close()
        return spans.joined(separator: ", ")
    }
}

/// The worksheet names used so far, so that overflow sheets get free, valid names.
private struct SheetNames {
    private var used: Set<String> = []

    /// `base` for the first part, `base (2)`, `base (3)`… after, cut to Excel's 31 characters.
    mutating func take(_ base: String, part: Int) throws -> String {
        let suffix = part == 1 ? "" : " (\(part))"
        var stem = base
        while stem.unicodeScalars.count + suffix.count > 31 { stem.removeLast() }
        let name = stem + suffix
        guard used.insert(name.lowercased()).inserted else {
            throw ReportError.tooLarge("two worksheets would be named \"\(name)\": rename a table of the template")
        }
        return name
    }
}
