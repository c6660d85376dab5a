import Foundation
import TTUsageTestSupport
import Testing
import UsageCore
import XLSXKit

@testable import UsageAnalysis
@testable import UsageReports

@Suite struct XLSXTests {
    /// Renders only the workbook and reads it back.
    private func workbook(
        _ dataset: UsageDataset = TestData.dataset(), template: String = ReportTemplate.defaultName,
        rowLimit: Int? = nil
    ) throws -> (folder: URL, reader: XLSXReader) {
        let folder = try TestData.folder()
        var options = RenderOptions(formats: [.xlsx], template: try ReportTemplate.resolve(template))
        if let rowLimit { options.xlsxRowLimit = rowLimit }
        let files = try ReportRenderer(options: options).render(dataset, to: folder)
        #expect(files.map(\.lastPathComponent) == ["report.xlsx"])
        return (folder, try XLSXReader(url: folder.appendingPathComponent("report.xlsx")))
    }

    @Test func sheetsComeInOrderSummaryFirst() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        #expect(book.sheetNames == ["Summary", "Daily", "Calls by day", "Charts", "About"])
        let (folder2, audit) = try workbook(template: "quota-audit")
        defer { TestData.remove(folder2) }
        #expect(
            audit.sheetNames == [
                "Summary", "Daily", "Key audit", "Month forecast", "Quota audit", "Dormant keys", "Failed keys",
                "Charts", "About",
            ])
    }

    @Test func dailySheetHasTheCSVHeaderFrozenFilteredAndTypedCells() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        let daily = try #require(book.sheet("Daily"))
        let header = (0..<7).map { book.text(of: daily.cell(0, $0)) }
        #expect(header == CSVWriter.dailyHeader)
        #expect(header == ["date", "app_key", "user_id", "label", "used", "remaining", "status"])
        // Only row 1 is frozen.
        #expect(daily.pane?["ySplit"] == "1")
        #expect(daily.pane?["xSplit"] == nil)
        #expect(daily.pane?["state"] == "frozen")
        #expect(daily.pane?["topLeftCell"] == "A2")
        // The rows are an Excel table, whose own filter replaces the worksheet's.
        #expect(daily.autofilter == nil)
        #expect(daily.tables.first?.autofilter == "A1:G33")
        #expect(daily.columnsWithWidth == 7)
        #expect(daily.lastRow == 32)

        let date = try #require(daily.cell(1, 0))
        #expect(date.type == nil)
        #expect(date.value == "46293")
        #expect(book.isDateStyle(date.style))
        #expect(book.text(of: date) == "2026-09-28")
        let used = try #require(daily.cell(1, 4))
        #expect(used.type == nil)
        #expect(used.value == "100")
        #expect(daily.cell(1, 5)?.value == "900")
        #expect(book.text(of: daily.cell(1, 6)) == "ok")
        #expect(book.text(of: daily.cell(8, 6)) == "provisional")
        // A missing day: no counts at all.
        #expect(book.text(of: daily.cell(11, 6)) == "missing")
        #expect(daily.cell(11, 4) == nil)
        #expect(daily.cell(11, 5) == nil)
    }

    @Test func textStaysTextWhateverItHolds() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        let daily = try #require(book.sheet("Daily"))
        let label = try #require(daily.cell(9, 3))
        // A workbook this small is written in memory: its text is in the shared-string table.
        #expect(label.type == "s")
        #expect(book.text(of: label) == "=1+1")
        let userId = try #require(daily.cell(25, 2))
        #expect(book.text(of: userId) == "-5")
        #expect(userId.type == "s")
        for sheet in book.sheets {
            #expect(!sheet.cells.values.contains { $0.hasFormula }, "a formula in \(sheet.name)")
        }
        let about = try #require(book.sheet("About"))
        #expect(
            about.cells.values.contains {
                book.text(of: $0) == "=cmd|' /C calc'!A0" && $0.type == "s"
            })
    }

    @Test func summaryHasNumberFormatsHighlightsAndATotalsRow() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        let summary = try #require(book.sheet("Summary"))
        #expect(summary.pane?["ySplit"] == "1")
        #expect(summary.autofilter == nil)
        #expect(summary.tables.first?.autofilter == "A1:M6")
        #expect(book.text(of: summary.cell(1, 0)) == "Acme")
        let total = try #require(summary.cell(1, 6))
        #expect(total.value == "3000")
        #expect(book.styleFormats[total.style] == "#,##0")
        let peak = try #require(summary.cell(1, 12))
        #expect(peak.value == "1")
        #expect(book.styleFormats[peak.style] == "0.0%")
        #expect(book.isDateStyle(try #require(summary.cell(1, 8)).style))
        // The key at quota is highlighted (a fill), the others are not.
        let styles = try fills(book)
        #expect(styles[total.style] == true)
        #expect(styles[try #require(summary.cell(2, 6)).style] != true)
        // The totals row follows the keys.
        #expect(book.text(of: summary.cell(6, 0)) == "Total")
        let used: Int = 3000 + 220 + 1_234_567 * 8 + 28
        #expect(summary.cell(6, 6)?.value == String(used))
    }

    @Test func theKeyAuditSheetHighlightsExactlyTheFlaggedKeys() throws {
        let dataset = TestData.dataset()
        let (folder, book) = try workbook(dataset, template: "quota-audit")
        defer { TestData.remove(folder) }
        let sheet = try #require(book.sheet("Key audit"))
        let header = (0..<16).map { book.text(of: sheet.cell(0, $0)) }
        let keyColumn = try #require(header.firstIndex(of: "app_key"))
        let flagsColumn = try #require(header.firstIndex(of: "flags"))
        let audit = KeyAudit(dataset: dataset, options: AuditOptions())
        let flagged = Set(audit.entries.filter { !$0.flags.isEmpty }.map(\.key.appKey))
        #expect(!flagged.isEmpty && flagged.count < dataset.keys.count)
        let highlight = String(format: "%06X", XLSXStyles.look(.text, .flagged).fill ?? 0)
        var seen = 0
        for row in 1...sheet.lastRow {
            guard let appKey = sheet.cell(row, keyColumn).map({ book.text(of: $0) }) else { continue }
            seen += 1
            let fill = sheet.cell(row, flagsColumn).flatMap { book.styleFills[$0.style] }
            if flagged.contains(appKey) {
                #expect(fill == highlight, "\(appKey) is flagged but not highlighted")
            } else {
                #expect(fill == nil, "\(appKey) is highlighted but not flagged")
            }
        }
        #expect(seen == dataset.keys.count)
    }

    @Test func chartsOfDailyTotalsAndBusiestKeysArePresent() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        let charts = try #require(book.sheet("Charts"))
        #expect(charts.drawing)
        #expect(book.partPaths.contains("xl/charts/chart1.xml"))
        #expect(book.partPaths.contains("xl/charts/chart2.xml"))
        #expect(book.text(of: charts.cell(0, 1)) == "all_keys")
        let firstDay: Int = 100 + 10 + 1_234_567
        #expect(charts.cell(1, 1)?.value == String(firstDay))
        // Busiest first: the unlabelled key, then Acme, then "=1+1".
        #expect(book.text(of: charts.cell(0, 2)) == TestData.unlabelled.appKey)
        #expect(book.text(of: charts.cell(0, 3)) == "Acme (6F0C3C1A)")
        #expect(charts.cell(3, 4) == nil)
        let chart = String(decoding: try book.part("xl/charts/chart1.xml"), as: UTF8.self)
        #expect(chart.contains("<c:lineChart>"))
        #expect(chart.contains("Charts!$B$2:$B$9"))
        #expect(chart.contains("Charts!$A$2:$A$9"))
        let busiest = String(decoding: try book.part("xl/charts/chart2.xml"), as: UTF8.self)
        #expect(busiest.components(separatedBy: "<c:ser>").count - 1 == 3)
    }

    @Test func dailyGoesOnInNewSheetsPastTheRowLimit() throws {
        let (folder, book) = try workbook(rowLimit: 10)
        defer { TestData.remove(folder) }
        // 32 rows at 9 a sheet: four sheets.
        #expect(Array(book.sheetNames.prefix(5)) == ["Summary", "Daily", "Daily (2)", "Daily (3)", "Daily (4)"])
        var dates: [String] = []
        for name in ["Daily", "Daily (2)", "Daily (3)", "Daily (4)"] {
            let sheet = try #require(book.sheet(name))
            #expect((0..<7).map { book.text(of: sheet.cell(0, $0)) } == CSVWriter.dailyHeader, "\(name)")
            #expect(sheet.pane?["ySplit"] == "1")
            #expect(sheet.lastRow <= 9)
            #expect(sheet.autofilter == nil)
            #expect(sheet.tables.first?.autofilter == "A1:G\(sheet.lastRow + 1)")
            for row in 1...max(sheet.lastRow, 1) where sheet.lastRow > 0 {
                dates.append(book.text(of: sheet.cell(row, 0)) + " " + book.text(of: sheet.cell(row, 1)))
            }
        }
        #expect(dates.count == 32)
        let (csvFolder, _) = (try TestData.folder(), 0)
        defer { TestData.remove(csvFolder) }
        _ = try ReportRenderer(options: RenderOptions(formats: [.csv])).render(TestData.dataset(), to: csvFolder)
        let csv = try CSVReader.rows(try TestData.text(csvFolder.appendingPathComponent("daily.csv"))).dropFirst()
        #expect(dates == csv.map { "\($0[0]) \($0[1])" })
        // Tables overflow the same way, their footer at the end of the last sheet.
        let summaryParts = book.sheetNames.filter { $0.hasPrefix("Summary") }
        #expect(summaryParts == ["Summary"])
        let (small, smallBook) = try workbook(rowLimit: 3)
        defer { TestData.remove(small) }
        #expect(smallBook.sheetNames.filter { $0.hasPrefix("Summary") } == ["Summary", "Summary (2)", "Summary (3)"])
        let last = try #require(smallBook.sheet("Summary (3)"))
        #expect(smallBook.text(of: last.cell(1, 1)) == TestData.unlabelled.appKey)
        #expect(smallBook.text(of: last.cell(2, 0)) == "Total")
    }

    @Test func aboutListsRangeVersionOptionsFailuresAndMissingDays() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        let about = try #require(book.sheet("About"))
        let texts = Set(about.cells.values.map { book.text(of: $0) })
        for expected in [
            "ext_prod_live", "2026-09-28", "2026-10-05", "2026-10-06T08:00:30Z", "ttusage \(TTUsageVersion.current)",
            "spreadsheet-handoff", "concurrency", "4", "E1001: Invalid application key", TestData.failed.appKey,
            "2026-09-30 to 2026-10-01, 2026-10-04",
        ] {
            #expect(texts.contains(expected), "About lacks \(expected)")
        }
    }

    @Test func documentPropertiesNameTheToolAndItsVersion() throws {
        let (folder, book) = try workbook()
        defer { TestData.remove(folder) }
        let core = String(decoding: try book.part("docProps/core.xml"), as: UTF8.self)
        #expect(core.contains("<dc:title>TT API key usage, 2026-09-28 to 2026-10-05</dc:title>"))
        #expect(core.contains("<dc:subject>"))
        #expect(core.contains("ttusage \(TTUsageVersion.current)"))
        #expect(core.contains("2026-10-06T08:00:30Z"))
        let custom = String(decoding: try book.part("docProps/custom.xml"), as: UTF8.self)
        #expect(custom.contains(TTUsageVersion.current))
    }

    @Test func closingIntoAMissingFolderThrowsLibxlsxwritersMessage() throws {
        let workbook = try XLSXWorkbook(path: "/nonexistent-ttusage-folder/report.xlsx")
        let sheet = try workbook.addWorksheet("Sheet")
        try sheet.write(0, 0, text: "x")
        do {
            try workbook.close()
            Issue.record("closed into a missing folder")
        } catch let failure as XLSXError {
            // The wrapper's error, as the report writer hands it on.
            let error = ReportError.xlsx(failure)
            #expect(error.category == .cantCreate)
            #expect(error.description.contains("workbook_close"))
            #expect(error.description.lowercased().contains("error creating output xlsx file"), "\(error)")
        }
        #expect(throws: XLSXError.self) { try workbook.close() }
    }

    @Test func anUnclosedWorkbookIsFreedWithoutWritingAFile() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let path = folder.appendingPathComponent("never.xlsx").path
        do {
            let workbook = try XLSXWorkbook(path: path)
            _ = try workbook.addWorksheet("Sheet")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aBadSheetNameIsAnErrorNotACrash() throws {
        let workbook = try XLSXWorkbook(path: "/tmp/unused-\(UUID().uuidString).xlsx")
        #expect(throws: XLSXError.self) { try workbook.addWorksheet("a[b]") }
        #expect(throws: XLSXError.self) { try workbook.addWorksheet(String(repeating: "x", count: 40)) }
    }

    /// Whether each cell style has a solid fill (other than none).
    private func fills(_ book: XLSXReader) throws -> [Int: Bool] {
        let styles = try XMLTree(data: book.part("xl/styles.xml"))
        let fills = styles.all("fill").map { fill in
            fill.children.first?["patternType"].map { $0 == "solid" } ?? false
        }
        let xfs = styles.all("cellXfs").first?.children.filter { $0.name == "xf" } ?? []
        var result: [Int: Bool] = [:]
        for (index, xf) in xfs.enumerated() {
            let fill = xf["fillId"].flatMap(Int.init) ?? 0
            result[index] = fills.indices.contains(fill) ? fills[fill] : false
        }
        return result
    }
}
