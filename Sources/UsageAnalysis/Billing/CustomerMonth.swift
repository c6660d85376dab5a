import Foundation
import UsageCore

/// One customer's calls in one calendar month, with the month before for comparison: the unit that is billed.
///
/// A customer is a manifest label; a key with an empty label is a customer of its own, named by its app key.
public struct CustomerMonth: Sendable, Hashable {
    /// `YYYY-MM`.
    public var month: String
    public var customer: String
    /// The customer's keys in the manifest.
    public var keys: Int
    /// The sum of `used` over the customer's keys' reported days of the month (inside the range).
    public var calls: Int
    /// The same for the month before, when every day of it is known; `nil` otherwise.
    public var previousCalls: Int?
    /// Why the month cannot be billed as final (`3 days missing`, `provisional: 2026-11-30`,
    /// `partial month: from 2026-10-15`); empty when complete.
    public var notes: [String]

    /// Whether every day of the whole month is known and settled.
    public var complete: Bool { notes.isEmpty }

    /// `calls − previousCalls`, when the month before is known.
    public var change: Int? { previousCalls.map { calls - $0 } }

    /// `change ÷ previousCalls` rounded to 4 places, or `nil` when the month before is unknown or had no calls.
    public var changeFraction: Decimal? {
        guard let previousCalls, previousCalls > 0, let change else { return nil }
        return Money.round(Decimal(change) / Decimal(previousCalls), digits: 4, .halfUp)
    }

    /// The notes as one field, `; ` between them.
    public var note: String { notes.joined(separator: "; ") }
}
