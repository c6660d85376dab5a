import Foundation
import UsageAnalysis
import UsageReports

extension ReportOptions {
    /// The statements `--statements` (or the profile's `statements: true`) asks for, or `nil`. Checked before any
    /// call: a malformed `--statement-from`, or a rate card that gives a customer an address with no `From` to
    /// send from, is bad usage.
    func statementOptions(_ profile: Profile?, rates: RateCard?) throws -> StatementOptions? {
        guard statements || profile?.statements == true else { return nil }
        var options = StatementOptions()
        let option = statementFrom == nil ? "statement-from (profile)" : "--statement-from"
        if let text = statementFrom ?? profile?.statementFrom {
            guard let from = MailAddress(parsing: text) else {
                throw CommandError.usage(
                    "\(option) \(text) is not an e-mail address (local@domain.example, or Name <local@domain.example>)"
                )
            }
            options.from = from
        }
        let unsent = options.customersWithoutSender(rates)
        if let first = unsent.first {
            let others = unsent.count > 1 ? " and \(unsent.count - 1) more" : ""
            throw CommandError.usage(
                "the rate card gives \"\(first)\"\(others) an e-mail address: give --statement-from ADDRESS "
                    + "(or statement-from: in the profile) to write their statement.eml")
        }
        return options
    }
}
