import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

@Suite struct CSVTests {
    private func render(_ dataset: UsageDataset = TestData.dataset(), bom: Bool = false) throws -> (URL, [URL]) {
        let folder = try TestData.folder()
        let options = RenderOptions(formats: [.csv], excelBOM: bom)
        return (folder, try ReportRenderer(options: options).render(dataset, to: folder))
    }

    @Test func dailyCSVHasTheContractColumnsAndARowPerKeyPerDay() throws {
        let (folder, files) = try render()
        defer { TestData.remove(folder) }
        #expect(files.map(\.lastPathComponent) == ["daily.csv", "summary.csv", "calls-by-day.csv"])
        let text = try TestData.text(folder.appendingPathComponent("daily.csv"))
        #expect(text.hasPrefix("date,app_key,user_id,label,used,remaining,status\n"))
        let rows = try CSVReader.rows(text)
        // Four keys that did not fail, eight days each, manifest then date order.
        #expect(rows.count == 1 + 4 * 8)
        #expect(rows[1] == ["2026-09-28", TestData.acme.appKey, "u1", "Acme", "100", "900", "ok"])
        #expect(rows[8] == ["2026-10-05", TestData.acme.appKey, "u1", "Acme", "300", "700", "provisional"])
        #expect(rows[9][1] == TestData.formula.appKey)
        #expect(!rows.contains { $0[1] == TestData.failed.appKey })
        // A missing day has empty counts, never 0.
        #expect(rows[11] == ["2026-09-30", TestData.formula.appKey, "u2", "'=1+1", "", "", "missing"])
        #expect(rows.allSatisfy { $0.count == 7 })
    }

    @Test func textThatWouldBeAFormulaGetsAQuoteNumbersDoNot() throws {
        let (folder, _) = try render()
        defer { TestData.remove(folder) }
        let rows = try CSVReader.rows(try TestData.text(folder.appendingPathComponent("daily.csv")))
        let unlabelled = try #require(rows.first { $0[1] == TestData.unlabelled.appKey })
        #expect(unlabelled[2] == "'-5")
        #expect(unlabelled[4] == "1234567")
        #expect(CSVWriter.encodedText("=SUM(A1)") == Array("'=SUM(A1)".utf8))
        #expect(CSVWriter.encodedText("+1") == Array("'+1".utf8))
        #expect(CSVWriter.encodedText("@x") == Array("'@x".utf8))
        #expect(CSVWriter.encodedText("\tx") == Array("'\tx".utf8))
        #expect(CSVWriter.encodedText("\rx") == Array("\"'\rx\"".utf8))
        #expect(CSVWriter.encodedText("a=b") == Array("a=b".utf8))
        var bytes: [UInt8] = []
        CSVWriter.appendCell(.integer(-5), to: &bytes)
        #expect(bytes == Array("-5".utf8))
    }

    @Test func fieldsAreQuotedPerRFC4180() {
        #expect(CSVWriter.encodedText("Beta \"B\", Inc.") == Array("\"Beta \"\"B\"\", Inc.\"".utf8))
        #expect(CSVWriter.encodedText("two\nlines") == Array("\"two\nlines\"".utf8))
        #expect(CSVWriter.encodedText("=a,b") == Array("\"'=a,b\"".utf8))
        #expect(CSVWriter.encodedText("plain") == Array("plain".utf8))
        #expect(CSVWriter.encodedText("") == [])
    }

    @Test func summaryCSVHasARowPerKeyAndNoTotalRow() throws {
        let (folder, _) = try render()
        defer { TestData.remove(folder) }
        let rows = try CSVReader.rows(try TestData.text(folder.appendingPathComponent("summary.csv")))
        #expect(
            rows.first == [
                "label", "app_key", "user_id", "status", "days_ok", "days_missing", "total_used", "mean_per_day",
                "peak_date", "peak_used", "days_at_quota", "mean_utilisation", "peak_utilisation",
            ])
        #expect(rows.count == 1 + 5)
        #expect(
            rows[1] == [
                "Acme", TestData.acme.appKey, "u1", "complete", "7", "0", "3000", "375.00", "2026-09-30",
                "1000", "1", "0.3750", "1.0000",
            ])
        #expect(
            rows[4] == [
                "Beta \"B\", Inc.", TestData.failed.appKey, "u4", "failed", "0", "0", "", "", "", "", "0",
                "", "",
            ])
    }

    @Test func excelOptionAddsAByteOrderMarkToEveryCSV() throws {
        let (folder, files) = try render(bom: true)
        defer { TestData.remove(folder) }
        for file in files {
            let data = try Data(contentsOf: file)
            #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(file.lastPathComponent)")
        }
        let (plain, plainFiles) = try render(bom: false)
        defer { TestData.remove(plain) }
        for file in plainFiles { #expect(try Data(contentsOf: file).first != 0xEF, "\(file.lastPathComponent)") }
        #expect(try Data(contentsOf: plain.appendingPathComponent("daily.csv")).prefix(4) == Data("date".utf8))
    }

    @Test func decimalsAreExactWithTheirStatedPlacesAndNoExponent() {
        #expect(ExactFigures.text(Decimal(string: "0.0001")!, places: 4) == "0.0001")
        #expect(ExactFigures.text(Decimal(string: "1e20")!, places: 2) == "100000000000000000000.00")
        #expect(ExactFigures.text(Decimal(string: "2.5")!, places: 2) == "2.50")
        // 1229 / 10000 is 0.1229 in decimal; the binary double of that quotient times 100 is not.
        #expect(ExactFigures.ratio(Decimal(1229), Decimal(10_000), places: 4) == Decimal(string: "0.1229"))
        #expect(ReportCell.fraction(Decimal(2) / Decimal(3)) == .decimal(Decimal(string: "0.6667")!, places: 4))
        #expect(ExactFigures.text(Decimal(-1) / Decimal(3), places: 4) == "-0.3333")
        #expect(ExactFigures.ratio(Decimal(1), Decimal(8), places: 2) == Decimal(string: "0.13"))
        #expect(UsageShare(used: 2, remaining: 1)! > UsageShare(used: 3, remaining: 2)!)
    }
}
