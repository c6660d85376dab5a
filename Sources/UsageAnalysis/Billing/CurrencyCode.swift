/// An ISO 4217 currency: its three-letter code and its minor unit, the number of digits after the decimal point
/// that every amount is rounded to (USD 2, JPY 0, BHD 3).
public struct CurrencyCode: Hashable, Sendable, CustomStringConvertible {
    /// The three capital letters, `USD`.
    public let code: String
    /// The digits of the minor unit, 0…4.
    public let minorUnit: Int

    /// The currency with this code, or `nil` when the code is not in ISO 4217 (case matters: `usd` is not a code).
    public init?(_ code: String) {
        guard let minorUnit = ISO4217.minorUnits[code] else { return nil }
        self.code = code
        self.minorUnit = minorUnit
    }

    public var description: String { code }
}
