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
        return CustomerMonths.build(dataset).filter { !$0.complete }.map {
            "\(options.rates == nil ? "month" : "invoice") \($0.month) \($0.customer): incomplete (\($0.note))"
        }
    }
}
