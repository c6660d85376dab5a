import UsageCore

/// One alert: a key that met a rule of `--alert`, a row of `alerts.csv`.
public struct KeyAlert: Sendable, Hashable {
    public var key: KeyEntry
    /// The rule as written (`at-quota`, `utilisation>=0.9`).
    public var rule: String
    /// The day the alert is about (the last day at quota, the first anomalous day…).
    public var date: Day?
    public var detail: String
    /// The rule's ``AlertRule/rank``: what is acted on first.
    public var rank: Int
    /// The size of the finding within its rule; the largest is listed first.
    public var weight: Double

    public init(key: KeyEntry, rule: String, date: Day?, detail: String, rank: Int = 0, weight: Double = 0) {
        self.key = key
        self.rule = rule
        self.date = date
        self.detail = detail
        self.rank = rank
        self.weight = weight
    }

    /// One line for standard error; control characters of the key and label are shown escaped, so that a
    /// label cannot break the line or drive the terminal.
    public var line: String {
        "alert: \(rule): \(subject): \(Self.printable(detail))"
    }

    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
