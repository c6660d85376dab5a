import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageReports

/// The page's "Needs attention" list, its key names and the month forecast's total, from datasets built here.
@Suite struct HTMLAttentionTests {
    static let range = DayRange(from: Day(iso: "2026-09-01")!, to: Day(iso: "2026-10-20")!)!

    /// `count` keys of one kind, `days(index)` giving each one's (used, remaining) by day offset (nil: missing).
    static func keys(
        _ prefix: String, _ count: Int, failed: Bool = false, _ day: @escaping (Int) -> (Int, Int)?
    ) -> [KeyUsage] {
        (0..<count).map { index in
            let key = KeyEntry(appKey: "\(prefix)\(index)-0000-4000", userId: "u", label: "\(prefix)-\(index)")
            if failed { return KeyUsage(key: key, days: [], failureReason: "E1001: refused") }
            let days = range.enumerated().map { offset, date -> DayUsage in
                guard let (used, remaining) = day(offset) else { return .missing(date) }
                return DayUsage(date: date, used: used, remaining: remaining, status: .ok)
            }
            return KeyUsage(key: key, days: days)
        }
    }

    static func page(_ keys: [KeyUsage], generatedAt: String = "2026-10-21") throws -> (XMLTree, URL) {
        let dataset = UsageDataset(
            generatedAt: Day(iso: generatedAt)!.start.addingTimeInterval(3600), environment: "ext_uat_cert",
            range: range, keys: keys)
        let folder = try TestData.folder()
        let options = RenderOptions(
            formats: [.html, .csv, .xlsx], template: try ReportTemplate.bundled(named: "quota-audit"))
        _ = try ReportRenderer(options: options).render(dataset, to: folder)
        return (try XMLTree(data: Data(contentsOf: folder.appendingPathComponent("report.html"))), folder)
    }

    static func attention(_ page: XMLTree) -> [(classes: Set<String>, text: String)] {
        let section = page.all("section").first { $0["id"] == "attention" }
        return (section?.descendants ?? []).filter { $0.name == "li" }.map {
            (Set(($0["class"] ?? "").split(separator: " ").map(String.init)), $0.text)
        }
    }

    @Test func theUrgentFirstAtMost15LinesAndWhereTheRestAre() throws {
        let keys =
            Self.keys("dormant", 3) { _ in (0, 10_000) }
            + Self.keys("new", 3) { $0 < 20 ? (0, 10_000) : (900, 9_100) }
            + Self.keys("quota", 3) { $0 % 10 == 3 ? (10_000, 0) : (5_000, 5_000) }
            + Self.keys("missing", 3) { $0 % 9 == 4 ? nil : (700, 9_300) }
            + Self.keys("refused", 3, failed: true) { _ in nil }
            + Self.keys("leak", 3) { $0 < 35 ? (300 + $0 % 5 * 40, 19_700 - $0 % 5 * 40) : (9_000, 11_000) }
        let (page, folder) = try Self.page(keys)
        defer { TestData.remove(folder) }
        let lines = Self.attention(page)
        #expect(lines.count == 15)
        let order = ["anomaly", "failed", "incomplete", "at-quota", "dormant", "new", "more"]
        let kinds = lines.map { line in order.first { line.classes.contains($0) } ?? line.text }
        #expect(
            kinds == Array(repeating: "anomaly", count: 3) + Array(repeating: "failed", count: 3)
                + Array(repeating: "incomplete", count: 3) + Array(repeating: "at-quota", count: 3)
                + Array(repeating: "dormant", count: 2) + ["more"])
        #expect(lines[0].text.contains("Possible leak") && lines[0].text.contains("leak-"))
        #expect(lines[14].text.contains("4 more lines") && lines[14].text.contains("Key audit (key-audit.csv)"))
        // key-audit.csv keeps manifest order.
        let audit = try CSVReader.records(Data(contentsOf: folder.appendingPathComponent("key-audit.csv")))
        #expect(audit.dropFirst().map { $0[2] } == keys.map(\.key.label))
    }

    @Test func moreThanAFewKeysWithOneFindingAreOneLine() throws {
        let keys =
            Self.keys("quota", 9) { $0 % 10 == 3 ? (10_000, 0) : (5_000, 5_000) }
            + Self.keys("dormant", 2) { _ in (0, 10_000) }
        let (page, folder) = try Self.page(keys)
        defer { TestData.remove(folder) }
        let lines = Self.attention(page)
        #expect(lines.count == 3)
        let group = try #require(lines.first)
        #expect(group.classes.isSuperset(of: ["at-quota", "group"]))
        #expect(group.text.contains("9 keys") && group.text.contains("at quota on 5 days"))
        #expect(group.text.contains("a plan up recommended for 9"))
        #expect(lines.dropFirst().allSatisfy { $0.classes.contains("dormant") && !$0.classes.contains("group") })
    }

    @Test func noTwoChartEntriesCarryTheSameName() throws {
        func key(_ appKey: String, _ label: String, _ used: Int) -> KeyUsage {
            KeyUsage(
                key: KeyEntry(appKey: appKey, userId: "u", label: label),
                days: Self.range.map { DayUsage(date: $0, used: used, remaining: 20_000 - used, status: .ok) })
        }
        let keys = [
            key("3f2b8c1e-aaaa-4000-8000-000000000001", "Acme Capital", 900),
            key("3f2b8c1e-bbbb-4000-8000-000000000002", "Acme Capital", 800),
            key("3f2b8c1e-bbbb-4000-8000-000000000003", "Acme Capital", 700),
            key("9a9a9a9a-0000-4000-8000-000000000004", "A label far too long to fit beside a bar", 600),
            key("9a9a9a9a-0000-4000-8000-000000000005", "A label far too long to fit beside a bar", 500),
            key("77777777-0000-4000-8000-000000000006", "", 400),
            key("77777777-0000-4000-8000-000000000007", "", 300),
            key("12345678-aaaa-4000-8000-000000000009", "Zed", 200),
            key("12345678-bbbb-4000-8000-000000000009", "Zed", 100),
        ]
        let (page, folder) = try Self.page(keys)
        defer { TestData.remove(folder) }
        for chart in ["busiest-keys", "utilisation"] {
            let svg = try #require(page.all("svg").first { $0["id"] == "chart-\(chart)" })
            let names = svg.descendants.filter { $0.name == "text" && $0["class"] == "name" }.map(\.text)
            #expect(names.count == keys.count, "\(chart): \(names)")
            #expect(Set(names).count == names.count, "\(chart): \(names)")
            // Keys made in a row differ at the end: the first 8 characters and as many last ones as tell them apart.
            for expected in [
                "Acme Capital (3f2b8c1e…0001)", "Acme Capital (3f2b8c1e…0002)", "A label far… (9a9a9a9a…0004)",
                "77777777…0006",
            ] {
                #expect(names.contains(expected), "\(chart): \(names)")
            }
            // Keys that differ only in the middle show as much of the end as reaches it; every other name fits
            // beside its bar.
            #expect(names.filter { $0.count > KeyNames.chartLength }.allSatisfy { $0.contains("(12345678…") })
            #expect(
                names.contains("Zed (12345678…a-4000-8000-000000000009)")
                    && names.contains("Zed (12345678…b-4000-8000-000000000009)"), "\(chart): \(names)")
        }
    }

    @Test func theMonthForecastHasATotalAndOnlyWithAMonthInProgress() throws {
        let keys = Self.keys("steady", 3) { offset in (1_000 + offset, 9_000 - offset) }
        let (page, folder) = try Self.page(keys)
        defer { TestData.remove(folder) }
        let table = try #require(page.all("table").first { $0["data-table"] == "month-forecast" })
        let footer = try #require(table.descendants.first { $0.name == "tfoot" })
        #expect(footer.text.contains("Total"))
        let workbook = try XLSXReader(url: folder.appendingPathComponent("report.xlsx"))
        let sheet = try #require(workbook.sheet("Month forecast"))
        #expect(sheet.cell(4, 0)?.text == "Total")
        let total = (0..<3).compactMap { sheet.cell($0 + 1, 5).flatMap { Int($0.value) } }.reduce(0, +)
        #expect(sheet.cell(4, 5)?.value == String(total))

        // A range of past months has no month in progress: no month-forecast file, sheet or table.
        let (past, pastFolder) = try Self.page(keys, generatedAt: "2026-12-01")
        defer { TestData.remove(pastFolder) }
        #expect(!CSVFiles.names(in: pastFolder).contains("month-forecast.csv"))
        #expect(past.all("table").first { $0["data-table"] == "month-forecast" } == nil)
        #expect(try XLSXReader(url: pastFolder.appendingPathComponent("report.xlsx")).sheet("Month forecast") == nil)
    }
}

/// The file names of a folder.
enum CSVFiles {
    static func names(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }
}
