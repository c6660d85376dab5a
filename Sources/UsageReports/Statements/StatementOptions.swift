import Foundation
import UsageAnalysis

/// How `--statements` writes each customer's pack.
public struct StatementOptions: Sendable {
    /// The `From` of every statement.eml (`--statement-from`); required when any customer has an address.
    public var from: MailAddress?
    /// The `Date` of the messages: when the statements are made.
    public var date: Date

    public init(from: MailAddress? = nil, date: Date = Date()) {
        self.from = from
        self.date = date
    }

    /// The customers of `rates` that have an address, when there is no `from` to send from: what makes
    /// `--statements` bad usage before any call (sorted, for one stable message).
    public func customersWithoutSender(_ rates: RateCard?) -> [String] {
        guard from == nil, let rates else { return [] }
        return rates.recipients.filter { $0.value.email != nil }.map(\.key).sorted(by: CustomerName.scalarOrder)
    }
}
