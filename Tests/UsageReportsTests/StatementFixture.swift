import Foundation
import TTUsageTestSupport
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

/// A month of three customers and the folder their statements are written to, for the statement tests.
enum StatementFixture {
    static let range = DayRange(year: 2026, month: 10)!
    static let date = Date(timeIntervalSince1970: 1_793_523_600)  // 2026-11-01 09:00:00 UTC

    static let rates = """
        currency: USD
        default-plan: standard
        plans:
          standard:
            monthly-fee: "100.00"
            included-calls: 1000
            tiers:
              - up-to: 20000
                per-1000: "0.40"
              - per-1000: "0.25"
          bulk:
            pricing: volume
            tiers:
              - per-1000: "0.30"
        customers:
          Acme: {plan: bulk, email: "ap@acme.example", cc: ["cfo@acme.example", "audit@acme.example"], name: "Acme Ltd"}
          Beta:
            email: "billing@beta.example"
            name: "Bêta Société Anonyme"
        """

    /// Acme (two keys), Beta (one key, its days 10 to 12 missing, the 31st provisional), a key with no label.
    static func dataset() -> UsageDataset {
        let keys = [
            KeyEntry(appKey: "a0000001-0000-4000-8000-000000000001", userId: "uid-acme", label: "Acme"),
            KeyEntry(appKey: "a0000002-0000-4000-8000-000000000002", userId: "uid-acme", label: "Acme"),
            KeyEntry(appKey: "b0000003-0000-4000-8000-000000000003", userId: "uid-beta", label: "Beta"),
            KeyEntry(appKey: "c0000004-0000-4000-8000-000000000004", userId: "uid-solo", label: ""),
        ]
        let usages = keys.indices.map { k in
            KeyUsage(
                key: keys[k],
                days: range.map { day -> DayUsage in
                    let (_, _, dayOfMonth) = day.components
                    if k == 2, (10...12).contains(dayOfMonth) { return .missing(day) }
                    let used = (day.ordinal % 5 + 1) * (300 + 70 * k)
                    return DayUsage(
                        date: day, used: used, remaining: 10_000 - used,
                        status: k == 2 && dayOfMonth == 31 ? .provisional : .ok)
                })
        }
        return UsageDataset(generatedAt: date, environment: "ext_prod_live", range: range, keys: usages)
    }

    static func card() throws -> RateCard { try RateCardParser(source: "rates.yaml").parse(rates) }

    static func render(company: String? = "TT Example Ltd") throws -> RenderOptions {
        RenderOptions(formats: [.csv], rates: try card(), company: company)
    }

    static func statementOptions() -> StatementOptions {
        StatementOptions(from: MailAddress(parsing: "TT Billing <billing@tt.example>"), date: date)
    }

    /// The whole report (CSV) and the statements written into a new folder.
    static func write(_ dataset: UsageDataset = dataset()) throws -> URL {
        let folder = try TestData.folder()
        let render = try render()
        _ = try ReportRenderer(options: render).render(dataset, to: folder)
        _ = try StatementWriter(options: statementOptions(), render: render).write(dataset, to: folder)
        return folder
    }

    /// A CSV file's records.
    static func records(_ url: URL) throws -> [[String]] { try CSVReader.records(try Data(contentsOf: url)) }

    /// Records keyed by their header.
    static func rows(_ url: URL) throws -> [[String: String]] {
        let records = try records(url)
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
