import UsageCore

/// A rule of `--alert`: a key that meets it raises an alert (a row of `alerts.csv`, a line on standard error,
/// exit 3).
public enum AlertRule: Sendable, Hashable, CustomStringConvertible {
    case atQuota
    case anomaly
    case dormant
    case new
    case planChange
    /// A peak day at or above this share of the limit (`utilisation>=0.9`).
    case utilisation(Double)

    /// The rule as `--alert` writes it, and as `alerts.csv` names it in `rule`.
    public var description: String {
        switch self {
        case .atQuota: "at-quota"
        case .anomaly: "anomaly"
        case .dormant: "dormant"
        case .new: "new"
        case .planChange: "plan-change"
        case let .utilisation(fraction): "utilisation>=\(fraction)"
        }
    }

    /// Reads a comma-separated list of rules, duplicates dropped, in order.
    ///
    /// - Throws: ``AuditError`` for an unknown rule, a bad fraction or an empty list.
    public static func parseList(_ text: String, option: String = "--alert") throws -> [AlertRule] {
        var rules: [AlertRule] = []
        for item in text.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces)
            let rule: AlertRule
            switch name {
            case "at-quota": rule = .atQuota
            case "anomaly": rule = .anomaly
            case "dormant": rule = .dormant
            case "new": rule = .new
            case "plan-change": rule = .planChange
            default:
                guard name.hasPrefix("utilisation>=") else {
                    throw AuditError(
                        "\(option) \(name) is not a rule (at-quota, anomaly, dormant, new, plan-change, "
                            + "utilisation>=F)")
                }
                let value = name.dropFirst("utilisation>=".count)
                guard let fraction = Double(value), fraction > 0, fraction <= 1 else {
                    throw AuditError("\(option) \(name): F must be a fraction above 0 and at most 1, such as 0.9")
                }
                rule = .utilisation(fraction)
            }
            if !rules.contains(rule) { rules.append(rule) }
        }
        guard !rules.isEmpty else { throw AuditError("\(option) names no rule") }
        return rules
    }

    /// The alert `entry` raises under this rule, or `nil`.
    public func alert(for entry: KeyAudit.Entry) -> KeyAlert? {
        func make(_ date: Day?, _ detail: String) -> KeyAlert {
            KeyAlert(key: entry.key, rule: description, date: date, detail: detail)
        }
        switch self {
        case .atQuota:
            guard entry.daysAtQuota > 0 else { return nil }
            return make(entry.lastAtQuota, "at quota on \(entry.daysAtQuota) of \(entry.daysReported) days")
        case .anomaly:
            guard let first = entry.anomaly.first else { return nil }
            let baseline = Int((entry.anomaly.baselineMedian ?? 0).rounded())
            return make(
                first,
                "\(PlanRecommendation.grouped(entry.anomaly.firstUsed ?? 0)) calls against a baseline of "
                    + "\(PlanRecommendation.grouped(baseline)), \(entry.anomaly.days.count) anomalous days")
        case .dormant:
            guard entry.dormant else { return nil }
            return make(entry.lastCall, entry.lastCall.map { "no call since \($0)" } ?? "no call in the range")
        case .new:
            guard entry.new, let first = entry.firstCall else { return nil }
            return make(first, "first call \(first)")
        case .planChange:
            guard let last = entry.plan.changes.last else { return nil }
            return make(
                last.date,
                entry.plan.changes.map {
                    "limit \(PlanRecommendation.grouped($0.from)) → \(PlanRecommendation.grouped($0.to)) on \($0.date)"
                }.joined(separator: "; "))
        case let .utilisation(fraction):
            guard let peak = entry.peakUtilisation, peak >= fraction else { return nil }
            return make(
                entry.peakDate,
                "peak \(PlanRecommendation.grouped(entry.peakUsed ?? 0)) calls, "
                    + "\(PlanRecommendation.percent(peak)) of the limit")
        }
    }
}

/// One alert: a key that met a rule of `--alert`, a row of `alerts.csv`.
public struct KeyAlert: Sendable, Hashable {
    public var key: KeyEntry
    /// The rule as written (`at-quota`, `utilisation>=0.9`).
    public var rule: String
    /// The day the alert is about (the last day at quota, the first anomalous day…).
    public var date: Day?
    public var detail: String

    /// One line for standard error; control characters of the key and label are shown escaped, so that a
    /// label cannot break the line or drive the terminal.
    public var line: String {
        let label = key.label.isEmpty ? "" : " (\(Self.printable(key.label)))"
        let day = date.map { " \($0)" } ?? ""
        return "alert: \(rule): \(Self.printable(key.appKey))\(label)\(day): \(detail)"
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

extension KeyAudit {
    /// Every alert of `rules`, key by key in manifest order, and within a key in the order of the rules.
    public func alerts(_ rules: [AlertRule]) -> [KeyAlert] {
        entries.flatMap { entry in rules.compactMap { $0.alert(for: entry) } }
    }
}
