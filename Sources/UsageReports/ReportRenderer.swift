import Foundation
import UsageAnalysis
import UsageCore
import XLSXKit

/// Writes a dataset's report files into a folder: `daily.csv`, `summary.csv` and `<table-id>.csv` for CSV,
/// `report.json` for JSON, `report.xlsx` for XLSX, `report.html` for HTML, as the options ask.
///
/// The report is built apart, in a staging folder beside the report folder, and switched in at once when every
/// file is written and flushed (``OutputStage``): the folder holds the previous report whole or the new one whole,
/// never files of two runs. If anything fails, or an interrupt asks to stop (`options.stop`), the staging folder
/// is removed and the report folder stays as it was.
public struct ReportRenderer: Sendable {
    /// What to write and how.
    public var options: RenderOptions

    /// A renderer with these options.
    public init(options: RenderOptions) {
        self.options = options
    }

    /// Renders `dataset` into `directory` (created when missing) and returns the files written, in the order
    /// daily.csv, summary.csv, the tables' CSV files, report.json, report.xlsx, report.html.
    ///
    /// - Throws: `ReportError` `.cantCreate` when a file cannot be written (with libxlsxwriter's message for the
    ///   workbook), `.usage` when a table cannot fit a worksheet.
    public func render(_ dataset: UsageDataset, to directory: URL) throws -> [URL] {
        try renderReport(dataset, to: directory).files
    }

    /// What a render wrote, and the alerts its `--alert` rules raised.
    public struct Rendered: Sendable {
        /// The files written, in the order of ``render(_:to:)``.
        public var files: [URL]
        /// The alerts of `options.alertRules`, key by key (empty without rules).
        public var alerts: [KeyAlert]
        /// What the reader should know about the files (a label too long for a workbook cell), one line each.
        public var warnings: [String] = []
        /// The statements written with the report (`RenderOptions.statements`).
        public var statements: StatementWriter.Written?
        /// The invoices' total per currency (`{"USD": "2710.65"}`), from the invoices the report priced; empty
        /// without a rate card.
        public var invoiceTotals: [String: String] = [:]
    }

    /// A line for each key whose label is longer than a workbook cell holds: report.xlsx keeps its first 32,767
    /// characters, CSV, JSON and HTML keep it whole.
    public func labelWarnings(for dataset: UsageDataset) -> [String] {
        guard options.formats.contains(.xlsx) else { return [] }
        let limit = XLSXWorkbook.maxTextLength
        return dataset.keys.compactMap { usage in
            let length = usage.key.label.unicodeScalars.count
            guard length > limit else { return nil }
            return "the label of key \(usage.key.appKey) is \(length) characters long; report.xlsx holds its first "
                + "32,767 (an Excel cell holds no more), the other files keep it whole"
        }
    }

    /// Renders `dataset` into `directory` as ``render(_:to:)`` does, and gives back the alerts raised as well.
    public func renderReport(_ dataset: UsageDataset, to directory: URL) throws -> Rendered {
        let made = ReportTables(dataset, options: options)
        let tables = made.tables
        if options.formats.contains(.xlsx) { try XLSXReportWriter.validate(tables, template: options.template) }
        try options.stop?.check()
        let stage = try OutputStage(directory: directory)
        do {
            if options.formats.contains(.csv) {
                try write(stage, "daily.csv") { sink in
                    try CSVWriter.writeDaily(dataset, byteOrderMark: options.excelBOM, to: sink)
                }
                for table in tables {
                    try write(stage, "\(table.id).csv") { sink in
                        try CSVWriter.writeTable(table, byteOrderMark: options.excelBOM, to: sink)
                    }
                }
            }
            if options.formats.contains(.json) {
                try write(stage, "report.json") { sink in
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(ByteSink.blockSize + 65_536)
                    try ReportJSON.write(dataset, tables: tables, sections: made, options: options, into: &bytes) {
                        bytes in
                        try sink.drain(&bytes)
                    }
                    try sink.close(writing: bytes)
                }
            }
            if options.formats.contains(.xlsx) {
                try options.stop?.check()
                let url = stage.temporaryURL(for: "report.xlsx")
                try XLSXReportWriter(dataset: dataset, tables: tables, options: options).write(to: url.path)
            }
            if options.formats.contains(.html) {
                try write(stage, "report.html") { sink in
                    try HTMLReportWriter(dataset: dataset, made: made, options: options).write(to: sink)
                }
            }
            var statements: StatementWriter.Written?
            if let packs = options.statements {
                try options.stop?.check()
                statements = try StatementWriter(options: packs, render: options)
                    .writePacks(dataset, into: stage.temporaryURL(for: "statements"))
            }
            try options.stop?.check()
            let files = try stage.commit()
            statements?.folder = directory.appendingPathComponent("statements", isDirectory: true)
            return Rendered(
                files: files, alerts: made.alerts ?? [], warnings: labelWarnings(for: dataset), statements: statements,
                invoiceTotals: BillingAnalysis.totals(made.invoices))
        } catch {
            stage.discard()
            throw error
        }
    }

    /// Runs `body` on a new temporary file for `name`; `body` closes the sink when done.
    private func write(_ stage: OutputStage, _ name: String, _ body: (ByteSink) throws -> Void) throws {
        try options.stop?.check()
        try body(try ByteSink(path: stage.temporaryURL(for: name).path, stop: options.stop))
    }
}
