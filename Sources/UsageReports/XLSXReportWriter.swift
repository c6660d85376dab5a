import Foundation
import UsageCore
import XLSXKit

/// Lays a report out as a workbook for people: `Summary` first, `Daily` (going on in `Daily (2)`, … past the row
/// limit), a sheet per template table, `Charts` and `About`; one writer per kind of sheet.
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
        do {
            try writeWorkbook(to: path)
        } catch let error as XLSXError {
            throw ReportError.xlsx(error)
        }
    }

    private func writeWorkbook(to path: String) throws {
        try XLSXReportWriter.validate(tables, template: options.template)
        let dailyRows = dataset.keys.reduce(0) { $0 + ($1.status == .failed ? 0 : $1.days.count) }
        // ZIP64 only when the file could pass 4 GB: Excel warns about it otherwise.
        // Excel tables need the workbook in memory (libxlsxwriter makes none in constant-memory mode): a report
        // of up to `tableCellLimit` cells gets them, a larger one is streamed with plain filtered ranges.
        let cells =
            dailyRows * CSVWriter.dailyHeader.count
            + tables.reduce(0) { $0 + $1.columns.count * ($1.rows.count + $1.footer.count) }
        let workbook = try XLSXWorkbook(
            path: path, constantMemory: cells > options.xlsxTableCellLimit, useZip64: dailyRows > 8_000_000)
        let range = "\(dataset.range.from.isoText) to \(dataset.range.to.isoText)"
        var properties = XLSXWorkbook.Properties()
        properties.title = "TT API key usage, \(range)"
        properties.subject = "Daily usage of TT REST API 2.0 application keys (\(dataset.environment)), \(range)"
        properties.company = options.company ?? ""
        properties.author = "ttusage \(options.toolVersion)"
        properties.keywords = "ttusage, TT REST API, key usage, \(options.template.name)"
        properties.comments = "Made by ttusage \(options.toolVersion) with the \(options.template.name) template"
        properties.created = dataset.generatedAt
        try workbook.setProperties(properties)
        try workbook.setCustomProperty("ttusage version", options.toolVersion)

        let styles = XLSXStyles(workbook)
        let print = XLSXPrint(range: dataset.range)
        var names = SheetNames()
        func table(_ table: ReportTable) throws {
            try options.stop?.check()
            try TableSheetWriter(table: table, styles: styles, rowLimit: rowLimit, print: print).write(names: &names)
        }
        if let summary = tables.first { try table(summary) }
        try DailySheetWriter(dataset: dataset, styles: styles, rowLimit: rowLimit, print: print, stop: options.stop)
            .write(names: &names)
        for other in tables.dropFirst() { try table(other) }
        try ChartsSheetWriter(dataset: dataset, styles: styles, rowLimit: rowLimit, print: print).write(names: &names)
        let period = try AboutSheetWriter(dataset: dataset, options: options, styles: styles, print: print)
            .write(names: &names)
        try workbook.defineName("ReportFrom", formula: "=" + period.from)
        try workbook.defineName("ReportTo", formula: "=" + period.to)
        try options.stop?.check()
        try workbook.close()
    }
}
