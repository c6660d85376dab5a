import UsageCore
import XLSXKit

/// The About sheet: what the report covers, how and when it was made, the options, failures and missing days.
struct AboutSheetWriter {
    let dataset: UsageDataset
    let options: RenderOptions
    let styles: XLSXStyles
    let print: XLSXPrint

    /// Where the report's first and last day are, as absolute references (`'About'!$B$4`), for defined names.
    struct PeriodCells {
        var from: String
        var to: String
    }

    func write(names: inout SheetNames) throws -> PeriodCells {
        let sheetName = try names.take("About", part: 1)
        let sheet = try styles.workbook.addWorksheet(sheetName)
        var cells = PeriodCells(from: "", to: "")
        func reference(_ row: Int) -> String {
            "'\(sheetName.replacingOccurrences(of: "'", with: "''"))'!$B$\(row + 1)"
        }
        let title = try styles.format(.text, .title)
        let header = try styles.format(.text, .header)
        let dateFormat = try styles.format(.date, .plain)
        let countFormat = try styles.format(.integer, .plain)
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
        cells.from = reference(row)
        try item("from", day: dataset.range.from)
        cells.to = reference(row)
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
                try sheet.write(row, 4, text: AboutSheetWriter.missingSpans(usage.days))
                row += 1
            }
        }
        try print.setUp(sheet, widths: [24.0, 40, 16, 24, 60], rows: row, header: false, bordered: true)
        return cells
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
