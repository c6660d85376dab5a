import Foundation
import UsageAnalysis
import UsageCore

/// The invoices a render prices with a rate card (`ReportTables` turns them into `invoices` and `invoice-lines`).
enum BillingAnalysis {
    static func invoices(_ dataset: UsageDataset, _ options: RenderOptions) -> [Invoice]? {
        options.rates.map { InvoiceBuilder(rates: $0).invoices(for: dataset) }
    }
}

extension ReportRenderer {
    /// One line per incomplete customer-month the render bills or compares, saying why: `invoice 2026-11 Acme:
    /// incomplete (3 days missing)`. Empty when the options hold no rate card and the template no month over month.
    public func billingWarnings(for dataset: UsageDataset) -> [String] {
        guard options.rates != nil || options.template.monthOverMonth else { return [] }
        let incomplete = CustomerMonths.build(dataset).filter { !$0.complete }.map {
            "\(options.rates == nil ? "month" : "invoice") \($0.month) \($0.customer): incomplete (\($0.note))"
        }
        return unmatchedCustomers(in: dataset) + incomplete
    }

    /// One line per customer the rate card names that is no customer of the report (a misspelt name would
    /// otherwise price its customer on the default plan without a word), with the closest customer when one is near.
    func unmatchedCustomers(in dataset: UsageDataset) -> [String] {
        guard let rates = options.rates else { return [] }
        let known = CustomerMonths.customers(of: dataset).map(\.name)
        let present = Set(known)
        let named = Set(rates.customers.keys).union(rates.recipients.keys)
        return named.sorted().filter { !present.contains($0) }.map { name in
            var line = "rate card \(rates.source): customer \"\(name)\" is no customer of this report"
            if let near = CustomerNames.closest(to: name, among: known) {
                line += " (did you mean \"\(near)\"? it is priced on plan \(rates.plan(for: near).name))"
            }
            return line
        }
    }
}

extension BillingAnalysis {
    /// The invoices' total per currency, as decimal strings of the currency's minor unit (`{"USD": "2710.65"}`);
    /// empty without invoices.
    static func totals(_ invoices: [Invoice]?) -> [String: String] {
        var totals: [CurrencyCode: Decimal] = [:]
        for invoice in invoices ?? [] { totals[invoice.currency, default: 0] += invoice.amount }
        return Dictionary(uniqueKeysWithValues: totals.map { ($0.key.code, Money.text($0.value, currency: $0.key)) })
    }
}
