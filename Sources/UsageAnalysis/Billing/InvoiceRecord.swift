import Foundation

/// An invoice as report.json's typed `invoices` member holds it: amounts as decimal strings, never JSON numbers.
package struct InvoiceRecord: Encodable, Decodable, Hashable {
    /// One line, amounts as decimal strings.
    struct Line: Codable, Hashable {
        var line: String
        var quantity: Int
        var unitPrice: String
        var amount: String
    }

    var month: String
    var customer: String
    var plan: String
    var keys: Int
    var calls: Int
    var includedCalls: Int
    var billableCalls: Int
    var amount: String
    var currency: String
    var previousCalls: Int?
    var change: Int?
    /// A fraction rounded to 4 places, as a decimal string.
    var changePct: String?
    var complete: Bool
    var note: String
    var lines: [Line]

    package init(_ invoice: Invoice) {
        let usage = invoice.usage
        let currency = invoice.currency
        month = usage.month
        customer = usage.customer
        plan = invoice.plan
        keys = usage.keys
        calls = usage.calls
        includedCalls = invoice.includedCalls
        billableCalls = invoice.billableCalls
        amount = Money.text(invoice.amount, currency: currency)
        self.currency = currency.code
        previousCalls = usage.previousCalls
        change = usage.change
        changePct = usage.changeFraction.map { Money.text($0, digits: 4) }
        complete = usage.complete
        note = usage.note
        lines = invoice.lines.map {
            Line(
                line: $0.line, quantity: $0.quantity, unitPrice: Money.text($0.unitPrice, currency: currency),
                amount: Money.text($0.amount, currency: currency))
        }
    }
}
