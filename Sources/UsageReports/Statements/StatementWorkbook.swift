import Foundation
import UsageCore
import XLSXKit

/// `statement.xlsx`: one customer's workbook, laid out as report.xlsx is (Excel tables, print set-up) but
/// made only of that customer's tables: the statement lines (or months), its months, `Daily` (its rows of
/// daily.csv, dates as dates) and its calls per key per month. Its properties name the customer and the issuer,
/// and nothing else; it has no chart and no defined name of its own, so no cache can hold anyone's figures.
struct StatementWorkbook {
    let statement: Statement
    let tables: [ReportTable]
    let options: RenderOptions

    /// Writes the workbook to `path` (which must not exist yet).
    func write(to path: String) throws {
        do {
            try writeWorkbook(to: path)
        } catch let error as XLSXError {
            throw ReportError.xlsx(error)
        }
    }

    private func writeWorkbook(to path: String) throws {
        let dataset = statement.dataset
        let dailyRows = dataset.keys.reduce(0) { $0 + ($1.status == .failed ? 0 : $1.days.count) }
        let cells =
            dailyRows * CSVWriter.dailyHeader.count
            + tables.reduce(0) { $0 + $1.columns.count * ($1.rows.count + $1.footer.count) }
        let workbook = try XLSXWorkbook(
            path: path, constantMemory: cells > options.xlsxTableCellLimit, useZip64: dailyRows > 8_000_000)
        var properties = XLSXWorkbook.Properties()
        properties.title = statement.subject
        properties.subject = "Daily usage of TT REST API 2.0 application keys, \(statement.period)"
        properties.company = options.company ?? ""
        properties.author = "ttusage \(options.toolVersion)"
        properties.keywords = "ttusage, TT REST API, key usage, statement"
        properties.comments = "Made by ttusage \(options.toolVersion)"
        properties.created = dataset.generatedAt
        try workbook.setProperties(properties)

        let styles = XLSXStyles(workbook)
        let print = XLSXPrint(range: dataset.range)
        let rowLimit = options.effectiveRowLimit
        var names = SheetNames()
        func table(_ table: ReportTable) throws {
            try TableSheetWriter(table: table, styles: styles, rowLimit: rowLimit, print: print).write(names: &names)
        }
        let keyMonths = tables.last
        for billing in tables.dropLast() { try table(billing) }
        try DailySheetWriter(dataset: dataset, styles: styles, rowLimit: rowLimit, print: print).write(names: &names)
        if let keyMonths { try table(keyMonths) }
        try workbook.close()
    }
}
