import Foundation
import UsageCore

/// Prices customer-months with a rate card: a pure function of the dataset and the card.
///
/// Every line (the fee, each tier) is computed exactly in `Decimal` and rounded once to the currency's minor unit
/// with the card's rounding; the invoice amount is the sum of its rounded lines.
public struct InvoiceBuilder: Sendable {
    public var rates: RateCard

    public init(rates: RateCard) {
        self.rates = rates
    }

    /// One invoice per customer and calendar month of the dataset's range, by month then customer.
    public func invoices(for dataset: UsageDataset) -> [Invoice] {
        CustomerMonths.build(dataset).map(invoice)
    }

    /// The invoice of one customer-month.
    public func invoice(_ usage: CustomerMonth) -> Invoice {
        let plan = rates.plan(for: usage.customer)
        let billable = max(0, usage.calls - plan.includedCalls)
        var lines: [InvoiceLine] = []
        if plan.monthlyFee > 0 {
            lines.append(
                InvoiceLine(
                    line: "monthly fee", quantity: 1, unitPrice: plan.monthlyFee, amount: round(plan.monthlyFee)))
        }
        for (index, quantity) in Self.tierQuantities(billable: billable, plan: plan) where quantity > 0 {
            let price = plan.tiers[index].per1000
            lines.append(
                InvoiceLine(
                    line: "tier \(index + 1)", quantity: quantity, unitPrice: price,
                    amount: round(Decimal(quantity) * price / 1000)))
        }
        return Invoice(
            usage: usage, includedCalls: plan.includedCalls, billableCalls: billable, lines: lines,
            currency: rates.currency, plan: plan.name)
    }

    /// The billable calls each tier prices, by tier index (tiers that price none are left out).
    static func tierQuantities(billable: Int, plan: RateCard.Plan) -> [(Int, Int)] {
        guard billable > 0, !plan.tiers.isEmpty else { return [] }
        switch plan.pricing {
        case .volume:
            let index = plan.tiers.firstIndex { billable <= ($0.upTo ?? Int.max) } ?? plan.tiers.count - 1
            return [(index, billable)]
        case .graduated:
            var lower = 0
            var result: [(Int, Int)] = []
            for (index, tier) in plan.tiers.enumerated() {
                let upper = tier.upTo ?? Int.max
                result.append((index, max(0, min(billable, upper) - lower)))
                if billable <= upper { break }
                lower = upper
            }
            return result
        }
    }

    private func round(_ value: Decimal) -> Decimal {
        Money.round(value, digits: rates.currency.minorUnit, rates.rounding)
    }
}
