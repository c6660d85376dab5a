import Foundation
import TTUsageTestSupport
import Testing
import UsageCore
import XLSXKit

@testable import UsageReports

/// The workbook's Excel tables and its print setup, read back from the file's XML.
@Suite struct XLSXTableTests {
    private func workbook(
        template: String = ReportTemplate.defaultName, rowLimit: Int? = nil, tableCellLimit: Int? = nil,
        company: String? = nil
    ) throws -> (folder: URL, reader: XLSXReader) {
        let folder = try TestData.folder()
        var options = RenderOptions(formats: [.xlsx], template: try ReportTemplate.resolve(template))
        if let rowLimit { options.xlsxRowLimit = rowLimit }
        if let tableCellLimit { options.xlsxTableCellLimit = tableCellLimit }
        options.company = company
        _ = try ReportRenderer(options: options).render(TestData.dataset(), to: folder)
        return (folder, try XLSXReader(url: folder.appendingPathComponent("report.xlsx")))
    }

    /// The cells of the range `A1:M7` as (first row, first column, last row, last column), from 0.
    private func bounds(_ ref: String) throws -> (Int, Int, Int, Int) {
        let parts = ref.split(separator: ":").map(String.init)
        try #require(parts.count == 2)
        let first = XLSXReader.split(parts[0]), last = XLSXReader.split(parts[1])
        return (first.row, first.column, last.row, last.column)
    }

    @Test(arguments: [ReportTemplate.defaultName, "quota-audit", "monthly-billing"])
    func everyDataSheetIsOneExcelTableNamedAfterItsTable(template: String) throws {
        let (folder, book) = try workbook(template: template)
        defer { TestData.remove(folder) }
        let resolved = try ReportTemplate.resolve(template)
        let tables = TableBuilder(dataset: TestData.dataset()).tables(for: resolved)
        var expected = ["Daily": "daily"]
        for table in tables { expected[table.title] = XLSXTable.validName(table.id) }
        var names: Set<String> = []
        for sheet in book.sheets where sheet.name != "Charts" && sheet.name != "About" {
            let table = try #require(sheet.tables.first, "\(sheet.name) is not a table")
            #expect(sheet.tables.count == 1)
            #expect(table.name == expected[sheet.name], "\(sheet.name)")
            #expect(table.displayName == table.name)
            #expect(names.insert(table.name.lowercased()).inserted, "two tables named \(table.name)")
            // The table's column names are the header cells, left to right from A1.
            let (top, left, bottom, right) = try bounds(table.ref)
            #expect(top == 0 && left == 0)
            let header = (0...right).map { book.text(of: sheet.cell(0, $0)) }
            #expect(table.columns == header, "\(sheet.name)")
            #expect(table.style == "TableStyleMedium2" && table.rowStripes == "1")
            // The table's own filter, over its header and data rows; no worksheet autofilter beside it.
            #expect(sheet.autofilter == nil, "\(sheet.name) has a worksheet autofilter over its table")
            #expect(table.autofilter == "A1:\(XLSXReader.reference(bottom - table.totalsRowCount, right))")
            #expect(bottom >= sheet.lastRow, "\(sheet.name): rows below the table")
        }
        #expect(book.sheets.first { $0.name == "Charts" }?.tables.isEmpty == true)
    }

    @Test func theGrandTotalIsTheTablesTotalRowWithTheFootersValues() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        let summary = try #require(book.sheet("Summary"))
        let table = try #require(summary.tables.first)
        #expect(table.ref == "A1:M7")
        #expect(table.totalsRowCount == 1)
        #expect(book.text(of: summary.cell(6, 0)) == "Total")
        let used: Int = 3000 + 220 + 1_234_567 * 8 + 28
        #expect(summary.cell(6, 6)?.value == String(used))
        // Values, not formulas: nothing in the workbook is evaluated.
        #expect(!summary.cells.values.contains { $0.hasFormula })
        // The Daily table has no total row (daily.csv has none).
        #expect(book.sheet("Daily")?.tables.first?.totalsRowCount == 0)
    }

    @Test func tablesOfSheetsPastTheRowLimitGetNumberedNames() throws {
        let (folder, book) = try workbook(rowLimit: 10)
        defer { TestData.remove(folder) }
        let names = ["Daily", "Daily (2)", "Daily (3)", "Daily (4)"].map { book.sheet($0)?.tables.first?.name }
        #expect(names == ["daily", "daily_2", "daily_3", "daily_4"])
    }

    @Test(arguments: [
        ("summary", "summary"), ("invoice-lines", "invoice_lines"), ("key-audit", "key_audit"),
        ("2026 usage", "_2026_usage"), ("A1", "A1_"), ("r2c3", "r2c3_"), ("c", "c_"), ("", "Table"),
    ])
    func tableIdsBecomeValidExcelNames(id: String, name: String) {
        #expect(XLSXTable.validName(id) == name)
    }

    @Test func aWorkbookTooLargeForMemoryIsStreamedWithFilteredRanges() throws {
        let (folder, book) = try workbook(tableCellLimit: 10)
        defer { TestData.remove(folder) }
        let daily = try #require(book.sheet("Daily"))
        #expect(daily.tables.isEmpty)
        #expect(daily.autofilter == "A1:G33")
        #expect(!book.partPaths.contains { $0.hasPrefix("xl/tables/") })
        #expect(!book.partPaths.contains("xl/sharedStrings.xml"))
    }

    @Test func everySheetPrintsOnePageWideWithItsHeaderRepeatedAndAFooter() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        for (index, sheet) in book.sheets.enumerated() {
            #expect(sheet.fitToPage == "1", "\(sheet.name)")
            #expect(sheet.pageSetup["fitToWidth"] == nil || sheet.pageSetup["fitToWidth"] == "1", "\(sheet.name)")
            #expect(sheet.pageSetup["paperSize"] == "9", "\(sheet.name) is not A4")
            let footer = try #require(sheet.footer, "\(sheet.name) has no footer")
            #expect(footer.contains("2026-09-28 to 2026-10-05"), "\(footer)")
            #expect(footer.contains("Page &P of &N"), "\(footer)")
            if sheet.name == "Charts" {
                #expect(sheet.pageSetup["fitToHeight"] == nil || sheet.pageSetup["fitToHeight"] == "1")
                #expect(sheet.pageSetup["orientation"] == "landscape")
                #expect(book.definedNames["_xlnm.Print_Area@\(index)"]?.contains("Charts!") == true)
            } else {
                #expect(sheet.pageSetup["fitToHeight"] == "0", "\(sheet.name)")
            }
            if sheet.name != "Charts" && sheet.name != "About" {
                let titles = book.definedNames["_xlnm.Print_Titles@\(index)"]
                #expect(titles?.hasSuffix("!$1:$1") == true, "\(sheet.name): \(titles ?? "no repeated rows")")
                // A table draws its own bands and borders: no gridlines on screen.
                #expect(sheet.showGridLines == "0", "\(sheet.name)")
            }
        }
        // Wider than tall (13 columns, 7 rows) prints landscape; a sheet far taller than wide, portrait.
        #expect(book.sheet("Summary")?.pageSetup["orientation"] == "landscape")
        #expect(!XLSXPrint.isWide(widths: [11.5, 34, 10], rows: 400))
        #expect(XLSXPrint.isWide(widths: [11.5, 34, 10, 60, 60], rows: 10))
    }

    @Test func thePeriodHasDefinedNamesAndTheDocumentPropertiesNameIt() throws {
        let (folder, book) = try workbook(company: "Example & Co")
        defer { TestData.remove(folder) }
        let from = try #require(book.definedNames["ReportFrom"])
        let to = try #require(book.definedNames["ReportTo"])
        #expect(from.hasPrefix("About!") || from.hasPrefix("'About'!"))
        let about = try #require(book.sheet("About"))
        func cell(_ reference: String) -> XLSXReader.Cell? {
            about.cells[reference.split(separator: "!").last.map { $0.replacingOccurrences(of: "$", with: "") } ?? ""]
        }
        #expect(book.text(of: cell(from)) == "2026-09-28")
        #expect(book.text(of: cell(to)) == "2026-10-05")
        let core = String(decoding: try book.part("docProps/core.xml"), as: UTF8.self)
        #expect(core.contains("<dc:title>TT API key usage, 2026-09-28 to 2026-10-05</dc:title>"))
        #expect(core.contains("2026-09-28 to 2026-10-05</dc:subject>"))
        let app = String(decoding: try book.part("docProps/app.xml"), as: UTF8.self)
        #expect(app.contains("<Company>Example &amp; Co</Company>"))
    }
}
