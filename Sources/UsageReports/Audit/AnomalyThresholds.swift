/// The thresholds of ``AnomalyDetector``, tunable with `--anomaly z=6,ratio=3,min-calls=500,run=2`.
public struct AnomalyThresholds: Sendable, Hashable {
    /// Reported days before a day that make its baseline (the trailing window).
    public var window = 28
    /// The fewest reported days in the window for a day to be judged at all.
    public var minDays = 7
    /// How many robust standard deviations (1.4826 × MAD) above the median a day must be.
    public var z = 6.0
    /// How many times the median a day must be.
    public var ratio = 3.0
    /// How many calls above the median a day must be (so that 3 → 40 calls is no alarm).
    public var minCalls = 500
    /// How many elevated reported days in a row make an anomaly (a one-day spike is not one).
    public var run = 2

    /// The defaults.
    public init() {}

    /// The option's names, in the order the README lists them.
    public static let names = ["window", "min-days", "z", "ratio", "min-calls", "run"]

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

    /// `window=28,min-days=7,…`, as `parse` reads it.
    public var text: String {
        func trimmed(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
        return "window=\(window),min-days=\(minDays),z=\(trimmed(z)),ratio=\(trimmed(ratio)),"
            + "min-calls=\(minCalls),run=\(run)"
    }
}
