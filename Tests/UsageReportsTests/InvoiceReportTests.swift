import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

/// Invoices through the renderer: the three formats agree on every amount, the JSON amounts are exact, an
/// incomplete month is flagged, the month before fills the comparison columns and no other table.
@Suite struct InvoiceReportTests {
    static let range = DayRange(from: Day(iso: "2026-10-01")!, to: Day(iso: "2026-11-30")!)!
    static let september = DayRange(year: 2026, month: 9)!

    static let rates = """
        currency: USD
        rounding: half-up
        default-plan: standard
        plans:
          standard:
            monthly-fee: "250.00"
            included-calls: 1000
            tiers:
              - up-to: 5000
                per-1000: "0.45"
              - per-1000: "0.125"
          bulk:
            pricing: volume
            tiers:
              - up-to: 2000
                per-1000: "1.005"
              - per-1000: "0.333"
        customers:
          Beta: bulk
        """

    /// Acme (two keys), Beta (one key, a missing day on 2026-11-03), and a key with no label; September too.
    static func dataset() throws -> UsageDataset {
        let keys = [
            KeyEntry(appKey: "A-1", userId: "u1", label: "Acme"), KeyEntry(appKey: "A-2", userId: "u1", label: "Acme"),
            KeyEntry(appKey: "B-1", userId: "u2", label: "Beta"), KeyEntry(appKey: "C-1", userId: "u3", label: ""),
        ]
        func days(_ k: Int, _ range: DayRange) -> [DayUsage] {
            range.map { day in
                if k == 2, day == Day(iso: "2026-11-03") { return .missing(day) }
                return DayUsage(date: day, used: (day.ordinal % 7 + 1) * (37 + 11 * k), remaining: nil, status: .ok)
            }
        }
        var dataset = UsageDataset(
            generatedAt: Date(timeIntervalSince1970: 1_800_000_000), environment: "ext_uat_cert", range: range,
            keys: keys.indices.map { KeyUsage(key: keys[$0], days: days($0, range)) })
        dataset.previous = PreviousMonth(range: september, days: keys.indices.map { days($0, september) })
        return dataset
    }

    /// Half-up rounding of `quantity × price / 1000` in integer arithmetic on minor units (a cross-check of the
    /// Decimal path): the price in thousandths of a cent.
    static func expectedCents(quantity: Int, pricePerThousand text: String) -> Int {
        let parts = text.split(separator: ".")
        let decimals = parts.count == 2 ? String(parts[1]) : ""
        let scaled = Int(String(parts[0]) + decimals.padding(toLength: 3, withPad: "0", startingAt: 0))!
        // scaled is the price in 1/1000 units: quantity × scaled / 1000 (units) → cents: ×100 / 1000 / 1000.
        let numerator = quantity * scaled * 100
        return (numerator * 2 + 1_000_000) / 2_000_000
    }

    static func cents(_ text: String) -> Int {
        let parts = text.split(separator: ".")
        return Int(parts[0])! * 100
            + (parts.count == 2 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))! : 0)
    }

    static func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func theFormatsAgreeOnEveryAmountAndTheJSONAmountsAreExact() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let options = RenderOptions(rates: try RateCardParser(source: "r.yaml").parse(Self.rates))
        _ = try ReportRenderer(options: options).render(try Self.dataset(), to: folder)

        let invoices = Self.rows(try TestData.text(folder.appendingPathComponent("invoices.csv")))
        #expect(
            invoices[0].joined(separator: ",") == "month,customer,keys,calls,included_calls,billable_calls,amount,"
                + "currency,previous_calls,change,change_pct,complete,note")
        let lines = Self.rows(try TestData.text(folder.appendingPathComponent("invoice-lines.csv")))
        #expect(lines[0].joined(separator: ",") == "month,customer,line,quantity,unit_price,amount,currency")
        #expect(invoices.count == 1 + 2 * 3)

        let json = try JSONValue.parse(Data(contentsOf: folder.appendingPathComponent("report.json")))
        let records = json["invoices"]?.array ?? []
        #expect(records.count == 6)
        let book = try XLSXReader(url: folder.appendingPathComponent("report.xlsx"))
        let sheet = try #require(book.sheet("Invoices"))

        for (index, row) in invoices.dropFirst().enumerated() {
            let record = records[index]
            #expect(record["month"]?.string == row[0])
            #expect(record["customer"]?.string == row[1])
            // CSV and JSON: the same decimal string; the workbook: the same number.
            let amount = try #require(record["amount"]?.string)
            #expect(amount == row[6])
            #expect(Decimal(string: book.text(of: sheet.cell(index + 1, 6))) == Decimal(string: amount))
            #expect(book.text(of: sheet.cell(index + 1, 1)) == row[1])
            // The amount is the sum of its lines, each worked out again in integer cents.
            var sum = 0
            for line in record["lines"]?.array ?? [] {
                guard case let .number(quantity, isInteger: true)? = line["quantity"] else {
                    Issue.record("quantity is not an integer")
                    continue
                }
                let price = try #require(line["unitPrice"]?.string)
                let lineAmount = try #require(line["amount"]?.string)
                let expected =
                    line["line"]?.string == "monthly fee"
                    ? Self.cents(price) : Self.expectedCents(quantity: Int(quantity), pricePerThousand: price)
                #expect(Self.cents(lineAmount) == expected, "\(row[0]) \(row[1]) \(line["line"]?.string ?? "")")
                sum += expected
            }
            #expect(Self.cents(amount) == sum)
        }
        // invoice-lines.csv holds the same lines as the JSON, in order.
        let jsonLines = records.flatMap { record in
            (record["lines"]?.array ?? []).map { [record["month"]?.string ?? "", $0["amount"]?.string ?? ""] }
        }
        #expect(lines.dropFirst().map { [$0[0], $0[5]] } == jsonLines)
        // The currency format on the amount column, and a total row per month below the data.
        let amountCell = try #require(sheet.cell(1, 6))
        #expect(book.styleFormats[amountCell.style]?.contains("USD") == true)
        #expect(book.text(of: sheet.cell(7, 1)) == "total")
        #expect(book.text(of: sheet.cell(8, 1)) == "total")
        let octoberTotal = invoices.dropFirst().filter { $0[0] == "2026-10" }.reduce(0) { $0 + Self.cents($1[6]) }
        #expect(Decimal(string: book.text(of: sheet.cell(7, 6))) == Decimal(octoberTotal) / 100)
    }

    @Test func anIncompleteMonthIsFlaggedAndWarned() throws {
        let dataset = try Self.dataset()
        let options = RenderOptions(rates: try RateCardParser(source: "r.yaml").parse(Self.rates))
        let months = CustomerMonths.build(dataset)
        let beta = try #require(months.first { $0.month == "2026-11" && $0.customer == "Beta" })
        #expect(!beta.complete)
        #expect(beta.note == "1 day missing")
        #expect(months.filter { !$0.complete }.count == 1)
        #expect(
            ReportRenderer(options: options).billingWarnings(for: dataset) == [
                "invoice 2026-11 Beta: incomplete (1 day missing)"
            ])
        // Beta's November calls leave out the missing day; October's count every day.
        let calls = dataset.keys[2].days.filter { $0.date.components.month == 11 }.reduce(0) { $0 + ($1.used ?? 0) }
        #expect(beta.calls == calls)
    }

    @Test func aPartialMonthAndAProvisionalDayAreNoted() {
        let range = DayRange(from: Day(iso: "2026-10-15")!, to: Day(iso: "2026-10-31")!)!
        let key = KeyEntry(appKey: "A", userId: "u", label: "Acme")
        let days = range.map {
            DayUsage(date: $0, used: 5, remaining: nil, status: $0 == range.to ? .provisional : .ok)
        }
        let dataset = UsageDataset(
            generatedAt: Date(), environment: "ext_uat_cert", range: range, keys: [KeyUsage(key: key, days: days)])
        let month = CustomerMonths.build(dataset)[0]
        #expect(month.note == "provisional: 2026-10-31; partial month: from 2026-10-15")
        #expect(month.previousCalls == nil)
    }

    @Test func theMonthBeforeFillsTheComparisonAndNoOtherTable() throws {
        let dataset = try Self.dataset()
        let months = CustomerMonths.build(dataset)
        func calls(_ k: [Int], _ range: DayRange) -> Int {
            k.reduce(0) { sum, k in
                sum
                    + (dataset.keys[k].days + (dataset.previous?.days[k] ?? [])).filter { range.contains($0.date) }
                    .reduce(0) { $0 + ($1.used ?? 0) }
            }
        }
        let october = DayRange(year: 2026, month: 10)!
        let acmeOctober = try #require(months.first { $0.month == "2026-10" && $0.customer == "Acme" })
        #expect(acmeOctober.previousCalls == calls([0, 1], Self.september))
        #expect(acmeOctober.change == calls([0, 1], october) - calls([0, 1], Self.september))
        let acmeNovember = try #require(months.first { $0.month == "2026-11" && $0.customer == "Acme" })
        #expect(acmeNovember.previousCalls == calls([0, 1], october))
        // Beta's November has a hole, so December (not in the range) could not compare: here Beta's October does.
        #expect(months.allSatisfy { $0.previousCalls != nil })

        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let options = RenderOptions(rates: try RateCardParser(source: "r.yaml").parse(Self.rates))
        _ = try ReportRenderer(options: options).render(dataset, to: folder)
        let daily = try TestData.text(folder.appendingPathComponent("daily.csv"))
        #expect(!daily.contains("2026-09-"))
        let invoices = try TestData.text(folder.appendingPathComponent("invoices.csv"))
        #expect(!invoices.contains("2026-09"))
        // report.json keeps September under previousMonth only (for render --input), in no key and no table.
        let json = try JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent("report.json")))
        guard case var .object(members) = json else {
            Issue.record("report.json is not an object")
            return
        }
        #expect(members.contains { $0.key == "previousMonth" })
        members.removeAll { $0.key == "previousMonth" }
        func strings(_ value: JSONValue) -> [String] {
            switch value {
            case let .string(text): [text]
            case let .array(items): items.flatMap(strings)
            case let .object(pairs): pairs.flatMap { [$0.key] + strings($0.value) }
            case .null, .bool, .number: []
            }
        }
        #expect(!strings(.object(members)).contains { $0.contains("2026-09-") })
    }

    @Test func withoutARateCardTheBillingTemplateComparesMonths() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let template = try ReportTemplate.bundled(named: "monthly-billing")
        #expect(template.monthOverMonth)
        _ = try ReportRenderer(options: RenderOptions(template: template)).render(try Self.dataset(), to: folder)
        let rows = Self.rows(try TestData.text(folder.appendingPathComponent("customer-months.csv")))
        #expect(
            rows[0].joined(separator: ",") == "month,customer,keys,calls,previous_calls,change,change_pct,complete,note"
        )
        #expect(rows.count == 7)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("invoices.csv").path))
    }
}
