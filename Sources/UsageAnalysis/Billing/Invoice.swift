import Foundation

/// One line of an invoice: the monthly fee, or the calls one tier priced.
public struct InvoiceLine: Sendable, Hashable {
    /// `monthly fee`, or `tier 1`, `tier 2`, ….
    public var line: String
    /// 1 for the fee, the calls for a tier.
    public var quantity: Int
    /// The fee, or the tier's price per 1,000 calls, as the rate card writes it.
    public var unitPrice: Decimal
    /// The line's exact amount rounded once to the currency's minor unit.
    public var amount: Decimal
}

/// What one customer owes for one calendar month under a rate card.
public struct Invoice: Sendable, Hashable {
    public var usage: CustomerMonth
    public var includedCalls: Int
    /// `max(0, calls − includedCalls)`.
    public var billableCalls: Int
    public var lines: [InvoiceLine]
    public var currency: CurrencyCode
    /// The plan that priced it.
    public var plan: String

    /// The sum of the rounded lines.
    public var amount: Decimal { lines.reduce(Decimal(0)) { $0 + $1.amount } }
}
