/// The thresholds of ``AnomalyDetector``, tunable with `--anomaly z=3,high-factor=2,min-calls=500,run=2`.
public struct AnomalyThresholds: Sendable, Hashable {
    /// Reported days before a day that make its baseline (the trailing window).
    public var window = 28
    /// The fewest reported days in the window for a day to be judged at all.
    public var minDays = 14
    /// How many robust standard deviations (1.4826 × MAD) above the median a day must be.
    public var z = 3.0
    /// How many times the median a day must be.
    public var ratio = 2.0
    /// The quantile of the window that stands for the key's usual highs (0.9: its 90th percentile).
    public var quantile = 0.9
    /// How many times its usual highs a day must be (it must also be above the window's maximum).
    public var highFactor = 2.0
    /// How many calls above the median a day must be (so that 3 → 40 calls is no alarm).
    public var minCalls = 500
    /// How many elevated reported days in a row make an anomaly (a one-day spike is not one).
    public var run = 2

    /// The defaults.
    public init() {}

    /// The option's names, in the order the README lists them.
    public static let names = ["window", "min-days", "z", "ratio", "quantile", "high-factor", "min-calls", "run"]

    /// Reads `name=value` pairs, comma-separated, over the defaults; `""` keeps every default.
    ///
    /// - Throws: ``AuditError`` for an unknown name or a value out of range.
    public static func parse(_ text: String, option: String = "--anomaly") throws -> AnomalyThresholds {
        var result = AnomalyThresholds()
        for item in text.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty else {
                throw AuditError("\(option) \(item): expected name=value (\(names.joined(separator: ", ")))")
            }
            let (name, value) = (pair[0], pair[1])
            func whole(_ range: ClosedRange<Int>) throws -> Int {
                guard let number = Int(value), range.contains(number) else {
                    throw AuditError(
                        "\(option) \(name)=\(value): expected a whole number \(range.lowerBound)–\(range.upperBound)")
                }
                return number
            }
            func number(atLeast minimum: Double) throws -> Double {
                guard let number = Double(value), number.isFinite, number >= minimum else {
                    throw AuditError("\(option) \(name)=\(value): expected a number of at least \(minimum)")
                }
                return number
            }
            switch name {
            case "window": result.window = try whole(3...366)
            case "min-days": result.minDays = try whole(1...366)
            case "z": result.z = try number(atLeast: 0)
            case "ratio": result.ratio = try number(atLeast: 1)
            case "quantile":
                let share = try number(atLeast: 0.5)
                guard share <= 1 else {
                    throw AuditError("\(option) quantile=\(value): expected a fraction from 0.5 to 1 (1: the maximum)")
                }
                result.quantile = share
            case "high-factor": result.highFactor = try number(atLeast: 1)
            case "min-calls": result.minCalls = try whole(0...10_000_000)
            case "run": result.run = try whole(1...31)
            default:
                throw AuditError("\(option) \(name): unknown threshold (\(names.joined(separator: ", ")))")
            }
        }
        guard result.minDays <= result.window else {
            throw AuditError("\(option): min-days \(result.minDays) is more than window \(result.window)")
        }
        return result
    }

    /// `window=28,min-days=14,…`, as `parse` reads it.
    public var text: String {
        func trimmed(_ value: Double) -> String { ExactFigures.trimmed(value) }
        return "window=\(window),min-days=\(minDays),z=\(trimmed(z)),ratio=\(trimmed(ratio)),"
            + "quantile=\(trimmed(quantile)),high-factor=\(trimmed(highFactor)),min-calls=\(minCalls),run=\(run)"
    }
}
