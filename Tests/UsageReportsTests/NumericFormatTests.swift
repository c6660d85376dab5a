import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

/// Every figure every format writes is a plain decimal with at most its stated places: read back from the files
/// of the three bundled templates rendered with a rate card, an audit and alerts, over figures chosen so that
/// their ratios and means do not end (thirds, sevenths) and so that a binary double's shortest text would show.
@Suite struct NumericFormatTests {
    static let range = DayRange(from: Day(iso: "2026-10-01")!, to: Day(iso: "2026-11-30")!)!
    static let september = DayRange(year: 2026, month: 9)!

    /// Six keys on four limits whose daily counts give ratios like 1229/10000, 1/3 and 2/7, and a month before
    /// whose calls make `change_pct` a fraction that does not end.
    static func dataset() -> UsageDataset {
        let limits = [10_000, 15_000, 30_000, 7, 3, 75_000]
        let keys = limits.indices.map {
            KeyEntry(appKey: "k\($0)-0000", userId: "u\($0 % 3)", label: ["Acme", "Beta", "Gamma"][$0 % 3])
        }
        func days(_ index: Int, _ range: DayRange) -> [DayUsage] {
            let limit = limits[index]
            return range.map { day in
                let used = min(limit, (day.ordinal * (2 * index + 3) + 1229) % (limit + 1))
                return DayUsage(date: day, used: used, remaining: limit - used, status: .ok)
            }
        }
        var dataset = UsageDataset(
            generatedAt: Date(timeIntervalSince1970: 1_796_000_000), environment: "ext_uat_cert", range: range,
            keys: keys.indices.map { KeyUsage(key: keys[$0], days: days($0, range)) })
        dataset.previous = PreviousMonth(range: september, days: keys.indices.map { days($0, september) })
        return dataset
    }

    /// The places each column states: integers none, means 2, fractions 4, money the currency's (USD: 2) but a
    /// unit price, which is written as the rate card writes it (here at most 3 places).
    static func places(_ type: String, column: String) -> Int? {
        if column == "unit_price" { return 3 }
        return switch type {
        case "integer": 0
        case "decimal": 2
        case "percent": 4
        case "money": 2
        default: nil
        }
    }

    /// `nil` when `text` is a plain decimal with at most `places` places, else what is wrong with it.
    static func problem(_ text: String, places: Int) -> String? {
        if text.contains("e") || text.contains("E") { return "an exponent" }
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            return "not a plain decimal"
        }
        let written = parts.count == 2 ? parts[1].count : 0
        return written > places ? "\(written) places, more than \(places)" : nil
    }

    @Test(arguments: ReportTemplate.bundledNames)
    func everyNumericCellOfEveryFileHasItsStatedPlacesAndNoExponent(_ name: String) throws {
        let rates = try RateCardParser(source: "r.yaml").parse(InvoiceReportTests.rates)
        var options = RenderOptions(template: try ReportTemplate.bundled(named: name), rates: rates)
        options.alertRules = try AlertRule.parseList("at-quota,anomaly,dormant,new,plan-change,utilisation>=0.5")
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let files = try ReportRenderer(options: options).render(Self.dataset(), to: folder)

        // The column types, from report.json's tables (daily.csv's counts are integers).
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json")))
                as? [String: Any])
        var types: [String: [String: String]] = ["daily": ["used": "integer", "remaining": "integer"]]
        for table in json["tables"] as? [[String: Any]] ?? [] {
            guard let id = table["id"] as? String, let columns = table["columns"] as? [[String: Any]] else { continue }
            types[id] = Dictionary(
                columns.compactMap { column in
                    (column["header"] as? String).flatMap { header in (column["type"] as? String).map { (header, $0) } }
                }, uniquingKeysWith: { first, _ in first })
        }

        var checked: [String: Int] = [:]
        for file in files where file.pathExtension == "csv" {
            let id = file.deletingPathExtension().lastPathComponent
            let records = try CSVReader.records(Data(contentsOf: file))
            let header = try #require(records.first, "\(id).csv")
            let columnTypes = try #require(types[id], "\(id).csv has no table in report.json")
            for record in records.dropFirst() {
                for (column, cell) in zip(header, record) where !cell.isEmpty {
                    guard let places = columnTypes[column].flatMap({ Self.places($0, column: column) }) else {
                        continue
                    }
                    let problem = Self.problem(cell, places: places)
                    #expect(problem == nil, "\(id).csv \(column) = \(cell): \(problem ?? "")")
                    checked[column, default: 0] += 1
                }
            }
        }
        // The figures the rule is about were there to be read.
        for column in ["used", "mean_per_day", "mean_utilisation", "peak_utilisation", "change_pct", "amount"] {
            if name == "monthly-billing" || !["change_pct"].contains(column) {
                #expect((checked[column] ?? 0) > 0, "no \(column) cell was read in \(name)")
            }
        }

        // report.json: no number token with an exponent or more than 4 places, anywhere.
        let jsonText = try String(contentsOf: folder.appendingPathComponent("report.json"), encoding: .utf8)
        for token in Self.numberTokens(jsonText) {
            let problem = Self.problem(token, places: 4)
            #expect(problem == nil, "report.json number \(token): \(problem ?? "")")
        }

        // The workbook stores binary numbers, which libxlsxwriter writes with 16 significant digits: every number
        // of every sheet must be the double nearest a decimal of at most 4 places (what Excel reads and shows),
        // with no exponent: 940.69 may be stored as 940.6900000000001, never as 940.6899999999999 (a sum of
        // doubles) or 0.12290000000000001.
        let workbook = try XLSXReader(url: folder.appendingPathComponent("report.xlsx"))
        for sheet in workbook.sheets {
            for cell in sheet.cells.values where cell.type == nil || cell.type == "n" {
                guard !cell.value.isEmpty else { continue }
                let number = try #require(Double(cell.value), "report.xlsx \(sheet.name)!\(cell.reference)")
                let nearest = Double(String(format: "%.4f", number))
                #expect(
                    !cell.value.contains("E") && !cell.value.contains("e") && nearest == number,
                    "report.xlsx \(sheet.name)!\(cell.reference) = \(cell.value)")
            }
        }

        // The page: every exact value (`data-value`) of a numeric cell, and every percentage shown.
        let page = try XMLTree(data: Data(contentsOf: folder.appendingPathComponent("report.html")))
        for cell in page.all("td") {
            guard let value = cell["data-value"], !value.isEmpty, value.first?.isNumber == true || value.first == "-",
                !value.contains("-") || value.hasPrefix("-"), !value.contains(":")
            else { continue }
            let problem = Self.problem(value, places: 4)
            #expect(problem == nil, "report.html data-value \(value): \(problem ?? "")")
            if cell.text.hasSuffix("%") {
                let shown = String(cell.text.dropLast()).replacingOccurrences(of: ",", with: "")
                #expect(Self.problem(shown, places: 1) == nil, "report.html shows \(cell.text)")
            }
        }
    }

    /// The number tokens of a JSON text outside its strings.
    static func numberTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var inString = false
        var escaped = false
        var current = ""
        for character in text {
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            if character == "\"" {
                inString = true
            } else if character.isNumber || "-+.eE".contains(character) {
                current.append(character)
                continue
            }
            // A number starts with a digit or a minus (the `e` of `true` is no number).
            if let first = current.first, first.isNumber || first == "-" { tokens.append(current) }
            current = ""
        }
        return tokens
    }

    @Test func changePctIsTheExactFractionInEveryFormat() throws {
        // 1,229 more calls on 10,000: the double of 1229 / 10000 prints as 0.12290000000000001.
        let months = [
            CustomerMonth(month: "2026-10", customer: "Acme", keys: 1, calls: 11_229, previousCalls: 10_000, notes: [])
        ]
        let table = InvoiceTables.customerMonthTable(months, id: "customer-months", title: "Customer months")
        let cell = table.rows[0].cells[6]
        #expect(cell == .decimal(Decimal(string: "0.1229")!, places: 4))
        var bytes: [UInt8] = []
        CSVWriter.appendCell(cell, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "0.1229")
        #expect(HTMLCellText.display(cell, type: .percent) == "12.3%")
        #expect(TableSheetWriter.double(Decimal(string: "0.1229")!, places: 4).description == "0.1229")
    }
}
