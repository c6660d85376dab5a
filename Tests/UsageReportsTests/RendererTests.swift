import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageReports

@Suite struct RendererTests {
    private func names(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func onlyTheAskedFormatsAreWrittenAndTheFolderIsCreated() throws {
        let root = try TestData.folder()
        defer { TestData.remove(root) }
        let folder = root.appendingPathComponent("reports/2026-10")
        let options = RenderOptions(formats: [.json], template: try ReportTemplate.resolve("monthly-billing"))
        let files = try ReportRenderer(options: options).render(TestData.dataset(), to: folder)
        #expect(files == [folder.appendingPathComponent("report.json")])
        #expect(try names(folder) == [".ttusage-report", "report.json"])

        let all = try ReportRenderer(options: RenderOptions(template: options.template)).render(
            TestData.dataset(), to: folder)
        #expect(
            all.map(\.lastPathComponent) == [
                "daily.csv", "summary.csv", "billing-by-key.csv", "billing-by-label.csv", "customer-months.csv",
                "report.json", "report.xlsx", "report.html",
            ])
        #expect(try names(folder) == ([".ttusage-report"] + all.map(\.lastPathComponent)).sorted())
    }

    @Test func aFailurePartWayLeavesTheOldReportAndNoTemporaryFile() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let old = Data("the previous report\n".utf8)
        for name in ["daily.csv", "report.json", "report.xlsx"] {
            try old.write(to: folder.appendingPathComponent(name))
        }
        // With two rows a sheet, "Keys" overflows into "Keys (2)", which another table already took: the
        // workbook fails after the CSV and JSON files were written.
        let template = try ReportTemplate.parse(
            yaml: """
                tables:
                  - id: keys
                    title: Keys
                    group-by: key
                    columns: [app_key]
                  - id: second
                    title: Keys (2)
                    group-by: key
                    columns: [app_key]
                """, source: "clash.yaml")
        let options = RenderOptions(template: template, xlsxRowLimit: 3)
        do {
            _ = try ReportRenderer(options: options).render(TestData.dataset(), to: folder)
            Issue.record("rendered")
        } catch let error as ReportError {
            #expect(error.description.contains("Keys (2)"), "\(error)")
        }
        #expect(try names(folder) == ["daily.csv", "report.json", "report.xlsx"])
        for name in ["daily.csv", "report.json", "report.xlsx"] {
            #expect(try Data(contentsOf: folder.appendingPathComponent(name)) == old)
        }
    }

    @Test func anOutputThatIsAFileIsCantCreate() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let file = folder.appendingPathComponent("taken")
        try Data().write(to: file)
        do {
            _ = try ReportRenderer(options: RenderOptions()).render(TestData.dataset(), to: file)
            Issue.record("rendered into a file")
        } catch let error as ReportError {
            #expect(error.category == .cantCreate)
            #expect(error.category.code == 73)
            #expect(error.description.contains(file.path))
        }
    }

    @Test func renderingReplacesAnEarlierReport() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        try Data("old".utf8).write(to: folder.appendingPathComponent("daily.csv"))
        _ = try ReportRenderer(options: RenderOptions(formats: [.csv])).render(TestData.dataset(), to: folder)
        #expect(try TestData.text(folder.appendingPathComponent("daily.csv")).hasPrefix("date,app_key"))
        #expect(try names(folder).filter { $0.hasPrefix(".") } == [".ttusage-report"])
    }

    @Test func aMatrixWiderThanASheetIsRefusedBeforeAnythingIsWritten() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let wide = TestData.large(keys: 1, days: 16_400)
        do {
            _ = try ReportRenderer(options: RenderOptions()).render(wide, to: folder)
            Issue.record("rendered")
        } catch let error as ReportError {
            #expect(error.category == .usage)
            #expect(error.description.contains("16384"))
        }
        #expect(try names(folder).isEmpty)
        // Without XLSX the same report is fine.
        _ = try ReportRenderer(options: RenderOptions(formats: [.csv])).render(wide, to: folder)
    }

    @Test func aReportWithNoKeysOrOnlyFailuresStillRenders() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let failedOnly = UsageDataset(
            generatedAt: Date(timeIntervalSince1970: 0), environment: "ext_uat_cert", range: TestData.range,
            keys: [KeyUsage(key: TestData.failed, days: [], failureReason: "refused")])
        for template in ReportTemplate.bundledNames {
            let options = RenderOptions(template: try ReportTemplate.resolve(template))
            _ = try ReportRenderer(options: options).render(failedOnly, to: folder)
            let empty = UsageDataset(
                generatedAt: Date(timeIntervalSince1970: 0), environment: "ext_uat_cert", range: TestData.range,
                keys: [])
            _ = try ReportRenderer(options: options).render(empty, to: folder)
            let book = try XLSXReader(url: folder.appendingPathComponent("report.xlsx"))
            #expect(book.sheet("Daily")?.lastRow == 0)
        }
    }
}
