import UsageAnalysis
import UsageCore

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
