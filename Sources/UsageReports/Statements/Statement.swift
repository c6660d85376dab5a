import Foundation
import UsageCore

/// One customer's statement: its keys alone (as a dataset of their own, so no writer can reach another
/// customer's), its months, its invoices when rated, and who receives it.
struct Statement {
    /// The customer as invoices.csv names it: its manifest label, or the app key of a key with no label.
    var customer: String
    /// What the statement calls the customer: the rate card's `name`, else `customer`.
    var displayName: String
    /// The folder under `statements/`.
    var folder: String
    var recipient: StatementRecipient?
    /// The customer's keys only, in manifest order, with their part of the month before.
    var dataset: UsageDataset
    /// The customer's rows of the customer-month table, by month.
    var months: [CustomerMonth]
    /// The customer's invoices, by month; empty without a rate card.
    var invoices: [Invoice]

    /// Calls over the range, summed over the months.
    var calls: Int { months.reduce(0) { $0 + $1.calls } }
    /// Whether every month is complete.
    var complete: Bool { months.allSatisfy(\.complete) }
    /// The invoices' total, when rated.
    var amount: Decimal? { invoices.isEmpty ? nil : invoices.reduce(Decimal(0)) { $0 + $1.amount } }
    var currency: CurrencyCode? { invoices.first?.currency }
    /// `2026-10-01 to 2026-10-31`.
    var period: String { "\(dataset.range.from.isoText) to \(dataset.range.to.isoText)" }

    /// What a reader must know before trusting a month: `2026-10: 3 days missing: figures may change`.
    var warnings: [String] {
        months.filter { !$0.complete }.map { "\($0.month): \($0.note): figures may change" }
    }

    /// The statement's subject line, also the workbook's title.
    var subject: String { "TT API usage statement, \(period), \(displayName)" }
}

/// The customers of a dataset, each with its folder, and the statement of each made on demand, so that only
/// one customer's pack is held at a time.
struct StatementBook {
    struct Entry {
        var customer: String
        var keys: [Int]
        var folder: String
    }

    let dataset: UsageDataset
    let rates: RateCard?
    /// Customers in manifest order of first appearance.
    let entries: [Entry]
    private let months: [CustomerName: [CustomerMonth]]

    init(dataset: UsageDataset, rates: RateCard?) {
        self.dataset = dataset
        self.rates = rates
        let customers = CustomerMonths.customers(of: dataset)
        let folders = StatementSlug.folders(for: customers.map(\.name))
        entries = zip(customers, folders).map { Entry(customer: $0.name, keys: $0.keys, folder: $1) }
        var months: [CustomerName: [CustomerMonth]] = [:]
        for month in CustomerMonths.build(dataset) { months[CustomerName(month.customer), default: []].append(month) }
        self.months = months
    }

    /// The statement of one customer.
    func statement(_ entry: Entry) -> Statement {
        var own = UsageDataset(
            generatedAt: dataset.generatedAt, environment: dataset.environment, range: dataset.range,
            keys: entry.keys.map { dataset.keys[$0] })
        if let previous = dataset.previous {
            own.previous = PreviousMonth(
                range: previous.range,
                days: entry.keys.map { $0 < previous.days.count ? previous.days[$0] : [] })
        }
        let months = self.months[CustomerName(entry.customer)] ?? []
        let recipient = rates?.recipients[entry.customer]
        return Statement(
            customer: entry.customer, displayName: recipient?.name ?? entry.customer, folder: entry.folder,
            recipient: recipient, dataset: own, months: months,
            invoices: rates.map { InvoiceBuilder(rates: $0) }.map { builder in months.map(builder.invoice) } ?? [])
    }
}
