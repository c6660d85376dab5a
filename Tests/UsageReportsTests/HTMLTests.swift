import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

/// report.html read back with a parser: its tables equal the CSV files, hostile text stays text, nothing is
/// fetched from anywhere, and the charts hold what they say.
@Suite struct HTMLTests {
    /// Renders `dataset` as CSV and HTML and reads both back.
    private func render(
        _ dataset: UsageDataset = TestData.dataset(), template: String = ReportTemplate.defaultName,
        rates: RateCard? = nil, alerts: [AlertRule] = []
    ) throws -> (folder: URL, page: HTMLReader, html: String) {
        let folder = try TestData.folder()
        var options = RenderOptions(
            formats: [.csv, .html], template: try ReportTemplate.resolve(template), rates: rates)
        options.alertRules = alerts
        let files = try ReportRenderer(options: options).render(dataset, to: folder)
        #expect(files.last?.lastPathComponent == "report.html")
        let url = folder.appendingPathComponent("report.html")
        return (folder, try HTMLReader(url: url), try TestData.text(url))
    }

    /// A CSV field as the CSV writer writes a text: a `'` before what a spreadsheet would take for a formula.
    private func csvText(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    @Test(arguments: [ReportTemplate.defaultName, "quota-audit", "monthly-billing"])
    func everyTableEqualsItsCSVFile(template: String) throws {
        let (folder, page, _) = try render(template: template)
        defer { TestData.remove(folder) }
        let csvFiles = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".csv") && $0 != "daily.csv" }
        // The template's tables and the summary, which every report has.
        let tables = try ReportTemplate.resolve(template).tables.map { "\($0.id).csv" } + ["summary.csv"]
        #expect(csvFiles.sorted() == tables.sorted())
        for file in csvFiles {
            let id = String(file.dropLast(4))
            let csv = try CSVReader.rows(try TestData.text(folder.appendingPathComponent(file)))
            let table = try #require(page.table(id), "report.html has no table \(id)")
            #expect(table.columns == csv[0], "\(id): header")
            let body = Array(csv.dropFirst())
            #expect(table.rows.count == body.count, "\(id): rows")
            for (index, (row, csvRow)) in zip(table.rows, body).enumerated() {
                #expect(row.map { csvText($0.value) } == csvRow, "\(id) row \(index + 1)")
                // What people read is the same figure: grouped digits and percentages undone give the value.
                for (cell, field) in zip(row, csvRow) where Int(field) != nil {
                    #expect(cell.text.replacingOccurrences(of: ",", with: "") == field, "\(id) row \(index + 1)")
                }
            }
        }
    }

    @Test func hostileTextStaysText() throws {
        let labels = [
            "<script>alert(1)</script>", "&lt;b&gt;bold&lt;/b&gt;", "\"quoted\" & 'single' <i>", "a\u{1}b\u{7F}c",
            "{{title}} {{{raw}}}", "</td></tr></table><img src=x onerror=alert(1)>", "]]><!--",
        ]
        var dataset = TestData.dataset()
        let days = Array(TestData.range)
        dataset.keys = labels.enumerated().map { index, label in
            KeyUsage(
                key: KeyEntry(appKey: "K-\(index)", userId: "<u\(index)>", label: label),
                days: days.map { DayUsage(date: $0, used: 100 * (index + 1), remaining: 1_000, status: .ok) })
        }
        dataset.keys.append(
            KeyUsage(
                key: KeyEntry(appKey: "K-failed", userId: "9", label: "<b>refused</b>"), days: [],
                failureReason: "E1001: <b>Invalid</b> & \"bad\" key"))
        let (folder, page, html) = try render(dataset, template: "quota-audit")
        defer { TestData.remove(folder) }
        let names = Set(page.elements.map(\.name))
        for forbidden in ["script", "img", "i", "b", "iframe", "object", "embed", "link"] {
            #expect(!names.contains(forbidden), "an element <\(forbidden)> came from the data")
        }
        #expect(page.elements.allSatisfy { $0.attributes.keys.allSatisfy { !$0.hasPrefix("on") } })
        // Each label reads exactly as written (the characters HTML cannot hold become U+FFFD).
        let summary = try #require(page.table("summary"))
        let labelColumn = try #require(summary.columns.firstIndex(of: "label"))
        let shown = Set(summary.rows.map { $0[labelColumn].text })
        for label in labels {
            #expect(shown.contains(HTMLCellText.clean(label)), "label \(label.debugDescription) not shown as text")
        }
        #expect(shown.contains("a\u{FFFD}b\u{FFFD}c"))
        let attention = page.all("li").filter { $0.classes.contains("failed") }
        #expect(attention.map(\.text).contains { $0.contains("E1001: <b>Invalid</b> & \"bad\" key") })
        // The raw text holds the escaped form only.
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&amp;lt;b&amp;gt;bold"))
    }

    @Test func nothingIsFetchedFromAnywhere() throws {
        let card = try RateCardParser(source: "r.yaml").parse(InvoiceReportTests.rates)
        for (template, rates) in [(ReportTemplate.defaultName, nil), ("quota-audit", nil), ("monthly-billing", card)] {
            let (folder, page, html) = try render(template: template, rates: rates)
            defer { TestData.remove(folder) }
            for element in page.elements {
                for name in ["src", "href", "srcset", "action", "xlink:href", "poster", "data"] {
                    #expect(element[name] == nil, "<\(element.name) \(name)=…>")
                }
            }
            let names = Set(page.elements.map(\.name))
            #expect(names.isDisjoint(with: ["script", "link", "img", "iframe", "object", "embed", "image", "use"]))
            let styles = page.all("style").map(\.text).joined()
            #expect(!styles.isEmpty)
            #expect(!styles.contains("@import") && !styles.contains("url("), "the CSS loads something")
            #expect(!html.lowercased().contains("http://") && !html.lowercased().contains("https://"))
            #expect(page.all("svg").count >= 2)
        }
    }

    @Test func callsPerDayHasOnePointPerDayAndItsTotals() throws {
        let dataset = TestData.dataset()
        let (folder, page, _) = try render(dataset)
        defer { TestData.remove(folder) }
        let svg = try #require(page.all("svg").first { $0["id"] == "chart-calls-per-day" })
        let points = svg.all("circle")
        #expect(points.count == dataset.range.count)
        for (index, day) in dataset.range.enumerated() {
            let total = dataset.keys.compactMap { $0.days.first { $0.date == day }?.used }.reduce(0, +)
            let title = points[index].first("title")?.text ?? ""
            #expect(title == "\(day.isoText): \(HTMLCellText.grouped(total)) calls", "point \(index)")
        }
        // The points run left to right and the busiest day is highest.
        let xs = points.compactMap { Double($0["cx"] ?? "") }
        #expect(xs == xs.sorted() && Set(xs).count == xs.count)
        #expect(svg.all("path").count == 1)
        let bars = try #require(page.all("svg").first { $0["id"] == "chart-busiest-keys" })
        #expect(bars.all("rect").count == dataset.keys.filter { $0.totals.used > 0 }.count)
    }

    @Test func itLeadsWithTotalsAttentionAndInvoicesThenCharts() throws {
        let card = try RateCardParser(source: "r.yaml").parse(InvoiceReportTests.rates)
        let (folder, page, _) = try render(try InvoiceReportTests.dataset(), template: "monthly-billing", rates: card)
        defer { TestData.remove(folder) }
        let order = page.all("section").compactMap { $0["id"] }
        let totals = try #require(order.firstIndex(of: "totals"))
        let attention = try #require(order.firstIndex(of: "attention"))
        let invoices = try #require(order.firstIndex(of: "table-invoices"))
        let charts = try #require(order.firstIndex(of: "charts"))
        #expect(totals < attention && attention < invoices && invoices < charts)
        #expect(order.filter { $0 == "table-invoices" }.count == 1)
        // Beta's November has a missing day: the page says so.
        let items = page.all("li").filter { $0.classes.contains("invoice") }
        #expect(items.contains { $0.text.contains("Beta, 2026-11") && $0.text.contains("1 day") })
        // The invoice amounts as in invoices.csv, the total row per month in the footer.
        let csv = try CSVReader.rows(try TestData.text(folder.appendingPathComponent("invoices.csv")))
        let table = try #require(page.table("invoices"))
        let amount = try #require(csv[0].firstIndex(of: "amount"))
        #expect(table.rows.map { $0[amount].value } == csv.dropFirst().map { $0[amount] })
        #expect(table.rows.allSatisfy { $0[amount].text.hasSuffix(" USD") })
    }

    @Test func theAuditsFlagsLeadAndUtilisationIsCharted() throws {
        let (folder, page, _) = try render(template: "quota-audit", alerts: [.atQuota])
        defer { TestData.remove(folder) }
        let audit = KeyAudit(dataset: TestData.dataset(), options: AuditOptions())
        let flagged = audit.entries.filter { !$0.flags.isEmpty }
        #expect(!flagged.isEmpty)
        // A line per key and flag (no-data keys are listed as refused); the alerts are the Alerts table's.
        let items = page.all("li").filter { $0.classes.contains("flag") }
        #expect(items.count == flagged.reduce(0) { $0 + $1.flags.filter { $0 != .noData }.count })
        for entry in flagged where entry.flags != [.noData] {
            #expect(
                items.contains { $0.text.contains(entry.key.appKey.prefix(8)) || $0.text.contains(entry.key.appKey) })
        }
        #expect(page.table("alerts") != nil)
        let chart = try #require(page.all("svg").first { $0["id"] == "chart-utilisation" })
        #expect(chart.all("rect").count == audit.entries.filter { $0.peakUtilisation != nil }.prefix(15).count)
        #expect(chart.all("line").filter { $0.classes.contains("mark") }.count == 2)
        // Flagged rows of the audit table carry the highlight class.
        let table = try #require(page.table("key-audit"))
        #expect(table.flaggedRows.count == flagged.count)
    }

    @Test func thePageTemplateOnlyUsesEscapingTags() {
        #expect(HTMLTemplate.all.count == 6)
        for text in HTMLTemplate.all {
            #expect(!text.contains("{{{") && !text.contains("{{&"))
            #expect(!text.contains("=== ") && !text.contains("{{="), "no delimiter change that could hide a tag")
        }
    }

    @Test func aLongTableIsCutWithANoteThatNamesItsCSVFile() throws {
        // 130 keys: the summary has 130 rows and 13 columns, the page shows its first 100.
        let dataset = TestData.large(keys: 130, days: 3)
        let (folder, page, _) = try render(dataset)
        defer { TestData.remove(folder) }
        let table = try #require(page.table("summary"))
        #expect(table.rows.count == 100)
        let csv = try CSVReader.rows(try TestData.text(folder.appendingPathComponent("summary.csv")))
        #expect(csv.count == 131)
        #expect(table.rows.map { $0.map { csvText($0.value) } } == Array(csv[1...100]))
        // The note comes before the rows and again after them, and names the file that holds every row.
        let section = try #require(page.all("section").first { $0["id"] == "table-summary" })
        let notes = section.all("p").filter { $0.classes.contains("note") }
        #expect(notes.count == 2)
        #expect(section.children.map(\.name) == ["h2", "p", "div", "p"])
        for note in notes {
            #expect(note.text.hasPrefix("Showing the first 100 of 130 rows; every row is in "))
            #expect(note.first("strong")?.text == "summary.csv")
        }
        // The key × day matrix (7 columns) is cut at 100 rows as well.
        #expect(try #require(page.table("calls-by-day")).rows.count == 100)
    }

    @Test func aWideTableShowsFewerRows() throws {
        // 40 keys × 365 days: the key × day matrix has 4 + 365 = 369 columns; 10,000 cells make 27 rows of it.
        let dataset = TestData.large(keys: 40, days: 365)
        let (folder, page, _) = try render(dataset)
        defer { TestData.remove(folder) }
        let table = try #require(page.table("calls-by-day"))
        #expect(table.columns.count == 369)
        #expect(table.rows.count == 27)
        #expect(table.footer.count == 1)
        let csv = try CSVReader.rows(try TestData.text(folder.appendingPathComponent("calls-by-day.csv")))
        #expect(table.rows.map { $0.map { csvText($0.value) } } == Array(csv[1...27]))
        let note = try #require(page.all("p").first { $0.classes.contains("cut") })
        #expect(note.text.hasPrefix("Showing the first 27 of 40 rows; every row is in "))
        #expect(note.first("strong")?.text == "calls-by-day.csv")
        // The summary's 40 rows all fit: no note.
        #expect(try #require(page.table("summary")).rows.count == 40)
        let summary = try #require(page.all("section").first { $0["id"] == "table-summary" })
        #expect(summary.all("p").isEmpty)
    }

    @Test(arguments: [
        ([ReportFormat.html, .csv, .json, .xlsx], "summary.csv", " (and report.json, report.xlsx)."),
        ([.html, .json], "report.json", "."), ([.html], "summary.csv", ", which --format csv writes."),
    ])
    func theNoteNamesTheFilesThatHoldEveryRow(formats: [ReportFormat], file: String, rest: String) throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let options = RenderOptions(
            formats: Set(formats), template: try ReportTemplate.resolve(ReportTemplate.defaultName))
        try ReportRenderer(options: options).render(TestData.large(keys: 130, days: 3), to: folder)
        let html = try TestData.text(folder.appendingPathComponent("report.html"))
        let start = try #require(html.range(of: "<section class=\"table\" id=\"table-summary\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        let section = html[start.upperBound..<end.lowerBound]
        let note = "Showing the first 100 of 130 rows; every row is in <strong>\(file)</strong>\(rest)</p>"
        #expect(section.components(separatedBy: note).count == 3, "the note before and after the rows")
    }
}
