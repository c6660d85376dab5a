import Foundation

/// Exact decimal money arithmetic: parsing a written amount, rounding once to a number of digits, and writing an
/// amount back as text. No `Double` anywhere: a `Decimal` holds 38 significant digits, far more than any invoice.
public enum Money {
    /// How a line is rounded to the currency's minor unit.
    public enum Rounding: String, Sendable, Hashable, CaseIterable {
        /// Halves away from zero: 0.125 → 0.13 (the default).
        case halfUp = "half-up"
        /// Halves to the even digit (banker's rounding): 0.125 → 0.12, 0.135 → 0.14.
        case halfEven = "half-even"
    }

    /// The amount a plain decimal text stands for (`250`, `0.40`, `-3.5`), or `nil` for anything else: no
    /// exponent, no grouping, no sign but a leading `-`, at least one digit on each side of a `.`.
    public static func parse(_ text: String) -> Decimal? {
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }),
            parts.reduce(0, { $0 + $1.count }) <= 34
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// `value` rounded to `digits` places after the point.
    public static func round(_ value: Decimal, digits: Int, _ rounding: Rounding) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, digits, rounding == .halfUp ? .plain : .bankers)
        return result
    }

    /// The number of digits after the point that `value` needs to be written exactly (0 for a whole number).
    public static func scale(of value: Decimal) -> Int {
        var digits = 0
        var scaled = value
        while digits < 38 {
            var whole = Decimal()
            NSDecimalRound(&whole, &scaled, 0, .down)
            if whole == scaled { return digits }
            scaled *= 10
            digits += 1
        }
        return digits
    }

    /// `value` as plain decimal text with at least `digits` places after the point (more when the value needs
    /// them, so that nothing is lost): `text(250, digits: 2)` is `250.00`, `text(0.375, digits: 2)` `0.375`.
    public static func text(_ value: Decimal, digits: Int) -> String {
        let places = max(digits, scale(of: value))
        var scaled = value.magnitude
        for _ in 0..<places { scaled *= 10 }
        var whole = Decimal()
        NSDecimalRound(&whole, &scaled, 0, .plain)
        // A whole Decimal's description is its plain digits (no exponent).
        var text = whole.description
        if places > 0 {
            if text.count <= places { text = String(repeating: "0", count: places - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -places))
        }
        return (value < 0 && whole != 0 ? "-" : "") + text
    }

    /// `value` as text with exactly the currency's minor digits (or more when the value needs them).
    public static func text(_ value: Decimal, currency: CurrencyCode) -> String {
        text(value, digits: currency.minorUnit)
    }
}
