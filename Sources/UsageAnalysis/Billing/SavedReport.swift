import Foundation
import UsageCore

/// A report.json read back for `ttusage diff`: its dataset and, when it was priced, its invoice amounts.
public struct SavedReport: Sendable {
    /// One invoice's amount as report.json's `invoices` member holds it.
    public struct Amount: Sendable, Hashable {
        public var month: String
        public var customer: String
        public var amount: Decimal
        public var currency: CurrencyCode
    }

    /// The path it was read from.
    public var source: String
    public var dataset: UsageDataset
    /// `nil` when the report holds no `invoices` member.
    public var invoices: [Amount]?
    /// The template the report was made with (`template`), `nil` when it does not say.
    public var template: String?

    package init(source: String, dataset: UsageDataset, invoices: [Amount]?, template: String?) {
        self.source = source
        self.dataset = dataset
        self.invoices = invoices
        self.template = template
    }

    /// The service the figures came from (the `base URL` option), `nil` when the report does not say.
    public var service: String? { dataset.options.first { $0.name == "base URL" }?.value }

    private struct Envelope: Decodable {
        var invoices: [InvoiceRecord]?
        var template: String?
    }

    public static func amounts(_ data: Data, source: String) throws -> (amounts: [Amount]?, template: String?) {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: data)
        } catch {
            throw ReportError.invalidReport(source: source, problem: "its `invoices` are not valid: \(error)")
        }
        let amounts = try envelope.invoices?.map { record in
            guard let amount = Money.parse(record.amount) else {
                throw ReportError.invalidReport(
                    source: source,
                    problem: "invoice \(record.month) \(record.customer): amount \"\(record.amount)\" is not a decimal")
            }
            guard let currency = CurrencyCode(record.currency) else {
                throw ReportError.invalidReport(
                    source: source,
                    problem:
                        "invoice \(record.month) \(record.customer): currency \"\(record.currency)\" is not ISO 4217")
            }
            return Amount(month: record.month, customer: record.customer, amount: amount, currency: currency)
        }
        return (amounts, envelope.template)
    }
}
