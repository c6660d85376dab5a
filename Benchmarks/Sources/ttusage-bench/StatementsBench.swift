// `ttusage-bench statements`: each customer's pack (statement.html, .xlsx, .csv, .eml and index.csv) for many
// customers of a few keys each over a month, with a rate card that gives every customer an address, so that every
// file is written. Prints the time, the resident memory before writing (the dataset) and the peak after: the
// difference is what the statements cost, which should not grow with the number of customers.
//
//     ttusage-bench statements [--customers 1000] [--keys 5] [--days 31] [--out DIR]
import Foundation
import UsageAnalysis
import UsageCore
import UsageReports

/// The resident set size now, from /proc/self/statm (0 where there is none).
func currentRSSMegabytes() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

func statementsBench(_ arguments: [String]) throws {
    var customers = 1_000
    var keysPerCustomer = 5
    var days = 31
    var out = FileManager.default.temporaryDirectory.appendingPathComponent("ttusage-bench-statements-\(getpid())")
    var rest = arguments[...]
    while let option = rest.popFirst() {
        guard let value = rest.popFirst() else { throw BenchError(description: "\(option) needs a value") }
        switch option {
        case "--customers": customers = Int(value) ?? 0
        case "--keys": keysPerCustomer = Int(value) ?? 0
        case "--days": days = Int(value) ?? 0
        case "--out": out = URL(fileURLWithPath: value)
        default: throw BenchError(description: "unknown option \(option)")
        }
    }
    guard customers > 0, keysPerCustomer > 0, days > 0 else {
        throw BenchError(description: "--customers, --keys and --days must be positive")
    }
    guard let first = Day(year: 2026, month: 10, day: 1),
        let range = DayRange(from: first, to: first.adding(days: days - 1))
    else { throw BenchError(description: "bad --days") }
    var recipients: [String: StatementRecipient] = [:]
    let keys = (0..<customers * keysPerCustomer).map { index -> KeyUsage in
        let customer = index / keysPerCustomer
        let label = "Customer \(customer) Trading Ltd"
        recipients[label] = StatementRecipient(
            email: "billing\(customer)@customer\(customer).example", cc: ["cfo@customer\(customer).example"])
        let entry = KeyEntry(
            appKey: String(format: "%08X-0000-4000-8000-%012X", index, index), userId: "user\(customer)", label: label)
        return KeyUsage(
            key: entry, days: (0..<days).map { syntheticDay(key: index, day: $0, date: first.adding(days: $0)) })
    }
    let dataset = UsageDataset(
        generatedAt: Date(timeIntervalSince1970: 1_793_523_600), environment: "ext_prod_live", range: range, keys: keys)
    guard let currency = CurrencyCode("USD") else { throw BenchError(description: "no USD") }
    var card = RateCard(
        source: "bench", currency: currency, defaultPlan: "standard",
        plans: [
            "standard": RateCard.Plan(
                name: "standard", monthlyFee: 100, includedCalls: 10_000,
                tiers: [
                    RateCard.Tier(upTo: 100_000, per1000: Decimal(string: "0.40") ?? 0),
                    RateCard.Tier(upTo: nil, per1000: Decimal(string: "0.25") ?? 0),
                ])
        ])
    card.recipients = recipients
    let render = RenderOptions(formats: [.csv], rates: card, company: "TT Example Ltd")
    let options = StatementOptions(from: MailAddress(parsing: "Billing <billing@tt.example>"))
    try? FileManager.default.removeItem(at: out)
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: out) }
    let before = currentRSSMegabytes()
    let clock = ContinuousClock()
    let start = clock.now
    let written = try StatementWriter(options: options, render: render).write(dataset, to: out)
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    var files = 0
    var bytes = 0
    if let walker = FileManager.default.enumerator(at: written.folder, includingPropertiesForKeys: [.fileSizeKey]) {
        for case let url as URL in walker {
            guard let size = try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize else { continue }
            files += 1
            bytes += size
        }
    }
    let peak = peakRSSMegabytes()
    print(
        "ttusage-bench statements: \(customers) customers x \(keysPerCustomer) keys x \(days) days: "
            + String(format: "%.2f s (%.1f ms a customer)", seconds, seconds * 1_000 / Double(customers))
            + String(format: ", RSS before writing %.1f MB, peak RSS %.1f MB (+%.1f MB)", before, peak, peak - before)
            + ", \(written.messages) e-mails, \(files) files, \(bytes / 1_000) kB")
}
