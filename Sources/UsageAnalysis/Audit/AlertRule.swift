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

    /// Which rule's alerts come first where people read them: possible leaks, then keys at quota and near it,
    /// plan changes, dormant keys, new keys.
    public var rank: Int {
        switch self {
        case .anomaly: 0
        case .atQuota: 1
        case .utilisation: 2
        case .planChange: 3
        case .dormant: 4
        case .new: 5
        }
    }

    /// The alert `entry` raises under this rule, or `nil`.
    public func alert(for entry: KeyAudit.Entry) -> KeyAlert? {
        func make(_ date: Day?, _ detail: String, weight: Double) -> KeyAlert {
            KeyAlert(key: entry.key, rule: description, date: date, detail: detail, rank: rank, weight: weight)
        }
        switch self {
        case .atQuota:
            guard entry.daysAtQuota > 0 else { return nil }
            return make(
                entry.lastAtQuota, "at quota on \(entry.daysAtQuota) of \(entry.daysReported) days",
                weight: Double(entry.daysAtQuota))
        case .anomaly:
            guard let first = entry.anomaly.first else { return nil }
            let baseline = Int((entry.anomaly.baselineMedian ?? 0).rounded())
            let high = Int((entry.anomaly.baselineHigh ?? 0).rounded())
            return make(
                first,
                "\(PlanRecommendation.grouped(entry.anomaly.firstUsed ?? 0)) calls against a baseline of "
                    + "\(PlanRecommendation.grouped(baseline)) and usual highs of \(PlanRecommendation.grouped(high)), "
                    + "\(entry.anomaly.days.count) anomalous days",
                weight: entry.anomaly.jump ?? Double(entry.anomaly.firstUsed ?? 0))
        case .dormant:
            guard entry.dormant else { return nil }
            // The longest silence first: a key with no call at all, then the earliest last call.
            return make(
                entry.lastCall, entry.lastCall.map { "no call since \($0)" } ?? "no call in the range",
                weight: -Double(entry.lastCall?.ordinal ?? Int.min / 2))
        case .new:
            guard entry.new, let first = entry.firstCall else { return nil }
            return make(
                first, "first call \(first)", weight: Double(entry.lastCall.map { $0.ordinal - first.ordinal } ?? 0))
        case .planChange:
            guard let last = entry.plan.changes.last else { return nil }
            return make(
                last.date,
                entry.plan.changes.map {
                    "limit \(PlanRecommendation.grouped($0.from)) → \(PlanRecommendation.grouped($0.to)) on \($0.date)"
                }.joined(separator: "; "),
                weight: Double(entry.plan.changes.map { abs($0.to - $0.from) }.max() ?? 0))
        case let .utilisation(fraction):
            guard let peak = entry.peakUtilisation, peak >= fraction else { return nil }
            return make(
                entry.peakDate,
                "peak \(PlanRecommendation.grouped(entry.peakUsed ?? 0)) calls, "
                    + "\(PlanRecommendation.percent(peak)) of the limit",
                weight: peak)
        }
    }
}

extension KeyAudit {
    /// Every alert of `rules`, the urgent first: by rule (``AlertRule/rank``), within a rule the largest first
    /// (the biggest jump, the most days at quota, the highest peak, the biggest change of limit, the longest
    /// silence, the most days since a first call), and on a tie in manifest order.
    public func alerts(_ rules: [AlertRule]) -> [KeyAlert] {
        let all = entries.flatMap { entry in rules.compactMap { $0.alert(for: entry) } }
        return all.enumerated().sorted { lhs, rhs in
            if lhs.element.rank != rhs.element.rank { return lhs.element.rank < rhs.element.rank }
            if lhs.element.rule != rhs.element.rule { return lhs.element.rule < rhs.element.rule }
            if lhs.element.weight != rhs.element.weight { return lhs.element.weight > rhs.element.weight }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
