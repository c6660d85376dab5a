import Foundation
import UsageAnalysis
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
