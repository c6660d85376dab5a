import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageReports

/// Every file of every customer's pack read back: the page with a parser, the workbook with the XLSX reader, the
/// message with a MIME reader, index.csv against invoices.csv.
@Suite struct StatementTests {
    @Test func indexAgreesWithInvoicesAndNamesEveryFolder() throws {
        let folder = try StatementFixture.write()
        defer { TestData.remove(folder) }
        let statements = folder.appendingPathComponent("statements")
        let index = try StatementFixture.records(statements.appendingPathComponent("index.csv"))
        #expect(index.first == ["customer", "folder", "keys", "calls", "amount", "currency", "email", "complete"])
        let rows = try StatementFixture.rows(statements.appendingPathComponent("index.csv"))
        let invoices = try StatementFixture.rows(folder.appendingPathComponent("invoices.csv"))
        #expect(Set(rows.map { $0["customer"] ?? "" }) == Set(invoices.map { $0["customer"] ?? "" }))
        #expect(rows.count == 3)
        for row in rows {
            let customer = row["customer"] ?? ""
            let months = invoices.filter { $0["customer"] == customer }
            let amount = months.reduce(Decimal(0)) { $0 + (Decimal(string: $1["amount"] ?? "") ?? -1_000_000) }
            #expect(Decimal(string: row["amount"] ?? "") == amount, "\(customer)")
            #expect(row["currency"] == "USD")
            #expect(Int(row["calls"] ?? "") == months.reduce(0) { $0 + (Int($1["calls"] ?? "") ?? 0) })
            #expect(row["keys"] == months.first?["keys"])
            #expect(row["complete"] == (months.allSatisfy { $0["complete"] == "true" } ? "true" : "false"))
            let pack = statements.appendingPathComponent(row["folder"] ?? "-")
            #expect(FileManager.default.fileExists(atPath: pack.appendingPathComponent("statement.html").path))
            let hasMail = FileManager.default.fileExists(atPath: pack.appendingPathComponent("statement.eml").path)
            #expect(hasMail == !(row["email"] ?? "").isEmpty, "\(customer)")
        }
        #expect(rows.first { $0["customer"] == "Acme" }?["email"] == "ap@acme.example")
        #expect(rows.first { $0["customer"] == "Beta" }?["complete"] == "false")
        #expect(
            rows.map { $0["folder"] ?? "" }.sorted() == ["acme", "beta", "c0000004-0000-4000-8000-000000000004"])
    }

    @Test func csvAndWorkbookHoldTheCustomersRowsOfDaily() throws {
        let folder = try StatementFixture.write()
        defer { TestData.remove(folder) }
        let daily = try StatementFixture.records(folder.appendingPathComponent("daily.csv"))
        for (name, label) in [("acme", "Acme"), ("beta", "Beta"), ("c0000004-0000-4000-8000-000000000004", "")] {
            let pack = folder.appendingPathComponent("statements/\(name)")
            let csv = try StatementFixture.records(pack.appendingPathComponent("statement.csv"))
            #expect(csv.first == daily.first)
            #expect(Array(csv.dropFirst()) == daily.dropFirst().filter { $0[3] == label })
            #expect(csv.count > 1)
            let workbook = try XLSXReader(url: pack.appendingPathComponent("statement.xlsx"))
            #expect(workbook.sheetNames == ["Statement", "Months", "Daily", "Keys by month"])
            let sheet = try #require(workbook.sheet("Daily"))
            let grid = sheet.grid
            let shown = (0...sheet.lastRow).map { row in (0..<7).map { workbook.text(of: grid[row]?[$0]) } }
            #expect(shown == csv)
            #expect(sheet.tables.first?.columns == csv.first)
            #expect(sheet.pageSetup["paperSize"] == "9")
            #expect(try #require(workbook.sheet("Keys by month")).tables.count == 1)
        }
    }

    @Test func thePageIsMailSafeAndShowsTheInvoiceLines() throws {
        let folder = try StatementFixture.write()
        defer { TestData.remove(folder) }
        let lines = try StatementFixture.rows(folder.appendingPathComponent("invoice-lines.csv"))
        for (name, customer) in [("acme", "Acme"), ("beta", "Beta")] {
            let data = try Data(contentsOf: folder.appendingPathComponent("statements/\(name)/statement.html"))
            let page = try StatementPageCheck(data: data)
            try page.expectMailSafe()
            let table = try #require(page.table("invoice-lines"))
            #expect(table.header == ["month", "line", "quantity", "unit_price", "amount", "currency"])
            let expected = lines.filter { $0["customer"] == customer }.map { row in
                ["month", "line", "quantity", "unit_price", "amount", "currency"].map { row[$0] ?? "" }
            }
            #expect(table.rows == expected)
            #expect(!expected.isEmpty)
        }
        let acme = try StatementPageCheck(
            data: Data(contentsOf: folder.appendingPathComponent("statements/acme/statement.html")))
        #expect(acme.text.contains("Acme Ltd"))
        #expect(acme.bars.count == 31)
        #expect(acme.warnings.isEmpty)
    }

    @Test func anIncompleteMonthSaysSoEverywhere() throws {
        let folder = try StatementFixture.write()
        defer { TestData.remove(folder) }
        let pack = folder.appendingPathComponent("statements/beta")
        let page = try StatementPageCheck(data: Data(contentsOf: pack.appendingPathComponent("statement.html")))
        let warning = "2026-10: 3 days missing; provisional: 2026-10-31: figures may change"
        #expect(page.warnings == [warning])
        let message = try MIMEPart(message: Data(contentsOf: pack.appendingPathComponent("statement.eml")))
        let text = try #require(message.leaves.first { $0.contentType == "text/plain" })
        #expect(text.text.contains("3 days missing; provisional: 2026-10-31: figures may change"))
        #expect(page.text.contains("2026-10-10 to 2026-10-12 (3)"))
    }

    @Test func theMessageHasItsHeadersBothAlternativesAndTheWorkbook() throws {
        let folder = try StatementFixture.write()
        defer { TestData.remove(folder) }
        let pack = folder.appendingPathComponent("statements/acme")
        let raw = try Data(contentsOf: pack.appendingPathComponent("statement.eml"))
        let message = try MIMEPart(message: raw)
        #expect(message.header("From") == "\"TT Billing\" <billing@tt.example>")
        #expect(message.header("To") == "\"Acme Ltd\" <ap@acme.example>")
        #expect(message.header("Cc") == "cfo@acme.example, audit@acme.example")
        #expect(message.header("Subject") == "TT API usage statement, 2026-10-01 to 2026-10-31, Acme Ltd")
        #expect(message.header("Date") == "Sun, 01 Nov 2026 09:00:00 +0000")
        let id = try #require(message.header("Message-ID"))
        #expect(id.hasPrefix("<") && id.hasSuffix("@tt.example>"))
        #expect(message.header("MIME-Version") == "1.0")
        #expect(message.contentType == "multipart/mixed")
        #expect(message.parts.map(\.contentType) == ["multipart/alternative", StatementMail.workbookType])
        let alternative = message.parts[0]
        #expect(alternative.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(alternative.parts.allSatisfy { $0.parameter("charset", of: "Content-Type") == "utf-8" })
        let html = try Data(contentsOf: pack.appendingPathComponent("statement.html"))
        // Line ends are CRLF in the message; the page's own are LF.
        #expect(
            alternative.parts[1].text
                == String(decoding: html, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n"))
        let text = alternative.parts[0].text
        #expect(text.contains("Acme Ltd"))
        #expect(text.contains("total: "))
        let attachment = message.parts[1]
        #expect(attachment.parameter("filename", of: "Content-Disposition") == "statement.xlsx")
        #expect(attachment.rawHeader("Content-Disposition")?.hasPrefix("attachment") == true)
        #expect(attachment.rawHeader("Content-Transfer-Encoding") == "base64")
        #expect(attachment.body == (try Data(contentsOf: pack.appendingPathComponent("statement.xlsx"))))
        let copy = folder.appendingPathComponent("attached.xlsx")
        try attachment.body.write(to: copy)
        let workbook = try XLSXReader(url: copy)
        #expect(workbook.sheet("Daily")?.lastRow == 62)
        // A message with no address gets no file; Beta's name is not ASCII and goes in encoded words.
        let beta = try MIMEPart(
            message: Data(contentsOf: folder.appendingPathComponent("statements/beta/statement.eml")))
        #expect(beta.header("Subject") == "TT API usage statement, 2026-10-01 to 2026-10-31, Bêta Société Anonyme")
        #expect(beta.rawHeader("Subject")?.contains("=?UTF-8?B?") == true)
        #expect(beta.header("To") == "Bêta Société Anonyme <billing@beta.example>")
        #expect(beta.header("Cc") == nil)
    }

    @Test func fiftyKeysOverAMonthStayUnder100KB() throws {
        let range = StatementFixture.range
        let keys = (0..<50).map { k in
            KeyUsage(
                key: KeyEntry(
                    appKey: String(format: "d%07d-0000-4000-8000-%012d", k, k), userId: "user-\(k)",
                    label: "Northwind Traders International Holdings"),
                days: range.map { day in
                    let (_, _, dayOfMonth) = day.components
                    if (dayOfMonth + k) % 9 == 0 { return .missing(day) }
                    return DayUsage(
                        date: day, used: 1_000_000 + k * 7_919 + dayOfMonth, remaining: 5_000_000,
                        status: dayOfMonth == 31 ? .provisional : .ok)
                })
        }
        let dataset = UsageDataset(
            generatedAt: StatementFixture.date, environment: "ext_prod_live", range: range, keys: keys)
        let folder = try StatementFixture.write(dataset)
        defer { TestData.remove(folder) }
        let data = try Data(
            contentsOf: folder.appendingPathComponent(
                "statements/northwind-traders-international-holdings/statement.html"))
        #expect(data.count <= 100 * 1024, "statement.html is \(data.count) bytes")
        let page = try StatementPageCheck(data: data)
        try page.expectMailSafe()
        #expect(page.table("key-months")?.rows.count == 50)
        #expect(page.table("holes")?.rows.count == 50)
    }
}
