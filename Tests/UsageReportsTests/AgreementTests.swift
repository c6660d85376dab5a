import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageReports

/// One table model feeds CSV, JSON and XLSX: the three formats of one report must show the same cells.
@Suite struct AgreementTests {
    /// A cell as text, the way each format can be compared: CSV text without its injection guard, JSON values,
    /// workbook values (dates as `YYYY-MM-DD`, numbers as their shortest text).
    private static func normalise(_ text: String) -> String {
        if let number = Double(text) {
            return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        }
        return text
    }

    private static func csvText(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, first == "'", field.count > 1 else { return normalise(field) }
        let rest = String(field.dropFirst())
        let guarded: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]
        return rest.first.map(guarded.contains) == true ? rest : normalise(field)
    }

    private static func jsonText(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case let .string(text): normalise(text)
        case let .number(number, _): normalise(String(number))
        case let .bool(flag): "\(flag)"
        default: "?"
        }
    }

    @Test(arguments: ReportTemplate.bundledNames)
    func csvJSONAndXLSXHoldTheSameTables(template name: String) throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let options = RenderOptions(template: try ReportTemplate.resolve(name))
        _ = try ReportRenderer(options: options).render(TestData.dataset(), to: folder)
        let json = try JSONValue.parse(Data(contentsOf: folder.appendingPathComponent("report.json")))
        let book = try XLSXReader(url: folder.appendingPathComponent("report.xlsx"))

        let tables = json["tables"]?.array ?? []
        #expect(tables.count == 1 + options.template.tables.count)
        for table in tables {
            let id = try #require(table["id"]?.string)
            let title = try #require(table["title"]?.string)
            let headers = (table["columns"]?.array ?? []).compactMap { $0["header"]?.string }
            let rows = (table["rows"]?.array ?? []).map { ($0["cells"]?.array ?? []).map(Self.jsonText) }
            let footer = (table["footer"]?.array ?? []).map { ($0["cells"]?.array ?? []).map(Self.jsonText) }

            let csv = try CSVReader.rows(try TestData.text(folder.appendingPathComponent("\(id).csv")))
            #expect(csv.first == headers, "\(name)/\(id): CSV header")
            #expect(csv.dropFirst().map { $0.map(Self.csvText) } == rows, "\(name)/\(id): CSV rows")

            let sheet = try #require(book.sheet(title), "\(name): no sheet \(title)")
            let sheetRows = (0...max(sheet.lastRow, 0)).map { row in
                headers.indices.map { Self.normalise(book.text(of: sheet.cell(row, $0))) }
            }
            #expect(sheetRows.first == headers.map(Self.normalise), "\(name)/\(id): sheet header")
            #expect(Array(sheetRows.dropFirst()) == rows + footer, "\(name)/\(id): sheet rows")
        }
    }

    @Test func dailyCSVAndTheDailySheetAndReportJSONAgree() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        _ = try ReportRenderer(options: RenderOptions()).render(TestData.dataset(), to: folder)
        let csv = try CSVReader.rows(try TestData.text(folder.appendingPathComponent("daily.csv")))
        let book = try XLSXReader(url: folder.appendingPathComponent("report.xlsx"))
        let daily = try #require(book.sheet("Daily"))
        let sheetRows = (0...daily.lastRow).map { row in (0..<7).map { book.text(of: daily.cell(row, $0)) } }
        #expect(sheetRows == csv.map { $0.map(Self.csvText) })

        let json = try JSONValue.parse(Data(contentsOf: folder.appendingPathComponent("report.json")))
        var jsonRows: [[String]] = [CSVWriter.dailyHeader]
        for key in json["keys"]?.array ?? [] {
            for day in key["days"]?.array ?? [] {
                jsonRows.append([
                    day["date"]?.string ?? "", key["appKey"]?.string ?? "", key["userId"]?.string ?? "",
                    key["label"]?.string ?? "", Self.jsonText(day["used"] ?? .null),
                    Self.jsonText(day["remaining"] ?? .null), day["status"]?.string ?? "",
                ])
            }
        }
        #expect(jsonRows == sheetRows)
    }
}
