import Foundation

/// Ratios and means computed in decimal and rounded once, as every report writes them: fractions of 1 to 4
/// places, means to 2, with no exponent and never more places than stated.
public enum ExactFigures {
    /// Places of a fraction of 1 (`change_pct`, utilisation).
    public static let fractionPlaces = 4
    /// Places of a mean (`mean_per_day`).
    public static let meanPlaces = 2

    /// `numerator / denominator` rounded half away from zero to `places` places (0 over a zero denominator).
    public static func ratio(_ numerator: Decimal, _ denominator: Decimal, places: Int) -> Decimal {
        guard denominator != 0 else { return 0 }
        return round(numerator / denominator, places: places)
    }

    /// `numerator / denominator` of two counts rounded half away from zero to `places` places, in whole-number
    /// arithmetic (exact, and a hundred times cheaper than a `Decimal` division); the `Decimal` division when a
    /// product would not fit 64 bits or a count is negative.
    public static func ratio(_ numerator: Int, _ denominator: Int, places: Int) -> Decimal {
        guard denominator != 0 else { return 0 }
        var scale = 1
        for _ in 0..<places {
            let (next, overflow) = scale.multipliedReportingOverflow(by: 10)
            guard !overflow else { return ratio(Decimal(numerator), Decimal(denominator), places: places) }
            scale = next
        }
        let (scaled, overflow) = numerator.multipliedReportingOverflow(by: scale)
        guard numerator >= 0, denominator > 0, !overflow else {
            return ratio(Decimal(numerator), Decimal(denominator), places: places)
        }
        var (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: denominator)
        if remainder >= denominator - remainder { quotient += 1 }
        return Decimal(sign: .plus, exponent: -places, significand: Decimal(quotient))
    }

    /// `value` rounded half away from zero to `places` places.
    public static func round(_ value: Decimal, places: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return result
    }

    /// `value` as plain text with exactly `places` places after the point: `0.1229`, `12.50`, `-0.0300`.
    public static func text(_ value: Decimal, places: Int) -> String {
        Money.text(round(value, places: places), digits: places)
    }

    /// A double as a decimal rounded to `places` places, for a configuration value read as a double
    /// (a threshold of `--anomaly`) and written back.
    public static func decimal(_ value: Double, places: Int) -> Decimal {
        guard value.isFinite else { return 0 }
        let text = String(format: "%.\(places)f", value)
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }

    /// A whole-number double as an integer text, others with their places trimmed: `6`, `2.5`.
    public static func trimmed(_ value: Double, places: Int = 4) -> String {
        var text = self.text(decimal(value, places: places), places: places)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
