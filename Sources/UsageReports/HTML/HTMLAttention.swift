import UsageAnalysis
import UsageCore

/// The page's "Needs attention" list: what to act on first at the top, one line for a finding many keys share,
/// and at most ``lineLimit`` lines with a last one that says where the rest are.
///
/// The order: possible leaks (anomalies), refused keys, incomplete invoices and keys, keys at quota (most days
/// first), keys near quota and alerts of `utilisation>=`, plan changes, dormant keys, new keys; within a kind the
/// largest first. `key-audit.csv` keeps a row per key in manifest order: it is data, this is triage.
struct HTMLAttention {
    /// At most this many lines are on the page.
    static let lineLimit = 15

    /// One finding of one key (or customer-month), before grouping.
    struct Item {
        var key: String
        var subject: String
        var detail: String
        /// Larger first within a kind.
        var weight: Double
        /// The finding's measure for a grouped line (days at quota…), or `nil`.
        var measure: Int?
    }

    /// A kind of finding, in the order it is listed.
    struct Kind {
        /// The list item's classes: `failed`, `incomplete`, `invoice`, or `flag` with the flag's name.
        var kind: String
        var tag: String
        var items: [Item]
        /// The grouped line's words after its subject ("52 keys"): "at quota".
        var many: String
        /// What the grouped line counts: `keys`, `customer-months`.
        var noun = "keys"
        /// Where every one of them is listed.
        var place: String
    }

    let dataset: UsageDataset
    let made: ReportTables
    let names: KeyNames

    /// The lines of the list.
    func lines() -> [HTMLPage.Attention] {
        var lines: [HTMLPage.Attention] = []
        for kind in kinds() where !kind.items.isEmpty {
            let items = kind.items.enumerated().sorted {
                $0.element.weight != $1.element.weight ? $0.element.weight > $1.element.weight : $0.offset < $1.offset
            }.map(\.element)
            if items.count <= KeyAlert.groupAbove {
                lines += items.map {
                    HTMLPage.Attention(
                        kind: kind.kind, tag: kind.tag, subject: $0.subject, detail: $0.detail, place: kind.place)
                }
            } else {
                lines.append(grouped(kind, items))
            }
        }
        guard lines.count > Self.lineLimit else { return lines }
        let shown = Array(lines.prefix(Self.lineLimit - 1))
        let rest = lines.dropFirst(Self.lineLimit - 1)
        return shown + [
            HTMLPage.Attention(
                kind: "more", tag: "More",
                subject: "\(rest.count) more line\(rest.count == 1 ? "" : "s")",
                detail: "the rest are in \(Set(rest.map(\.place)).sorted().joined(separator: ", "))")
        ]
    }

    private func grouped(_ kind: Kind, _ items: [Item]) -> HTMLPage.Attention {
        let measures = items.compactMap(\.measure)
        var detail = kind.many
        if let low = measures.min(), let high = measures.max() {
            detail += low == high ? " on \(low) day\(low == 1 ? "" : "s")" : " on \(low) to \(high) days"
        }
        if kind.kind.hasSuffix("at-quota") { detail += ": " + recommendations(items) }
        let first = items.prefix(3).map(\.subject).joined(separator: "; ")
        detail += "; first: \(first); see \(kind.place)"
        return HTMLPage.Attention(
            kind: kind.kind + " group", tag: kind.tag, subject: "\(items.count) \(kind.noun)", detail: detail,
            place: kind.place
        )
    }

    /// "a plan up recommended for 80, keep for 7", from the keys' recommendations.
    private func recommendations(_ items: [Item]) -> String {
        let keys = Set(items.map(\.key))
        var counts: [PlanRecommendation.Direction: Int] = [:]
        for entry in made.audit?.entries ?? [] where keys.contains(entry.key.appKey) {
            if let direction = entry.recommendation?.direction { counts[direction, default: 0] += 1 }
        }
        let words: [(PlanRecommendation.Direction, String)] = [
            (.up, "a plan up"), (.same, "the same plan"), (.down, "a plan down"),
        ]
        let parts = words.compactMap { direction, text in
            counts[direction].map { "\(text) recommended for \($0)" }
        }
        return parts.isEmpty ? "no recommendation" : parts.joined(separator: ", ")
    }

    private func kinds() -> [Kind] {
        let audited = made.tables.contains { $0.id == "key-audit" }
        let auditPlace = audited ? "Key audit (key-audit.csv)" : "Alerts (alerts.csv)"
        var refused: [Item] = []
        var incomplete: [Item] = []
        for (index, key) in dataset.keys.enumerated() {
            switch key.status {
            case .failed:
                refused.append(
                    Item(
                        key: key.key.appKey, subject: names.names[index],
                        detail: HTMLCellText.clean(key.failureReason ?? "refused by the service"), weight: 0))
            case .incomplete:
                let missing = key.totals.daysMissing
                incomplete.append(
                    Item(
                        key: key.key.appKey, subject: names.names[index],
                        detail: "\(missing) of \(dataset.range.count.counted("day")) missing", weight: Double(missing),
                        measure: missing))
            case .complete: break
            }
        }
        let invoices = (made.invoices ?? []).filter { !$0.usage.complete }.map {
            Item(
                key: "", subject: HTMLCellText.clean("\($0.usage.customer), \($0.usage.month)"),
                detail: HTMLCellText.clean($0.usage.note), weight: 0)
        }
        var flagged: [AuditFlag: [Item]] = [:]
        for (index, entry) in (made.audit?.entries ?? []).enumerated() {
            let subject =
                names.names.indices.contains(index) ? names.names[index] : HTMLCellText.clean(entry.key.appKey)
            for flag in entry.flags {
                guard let item = Self.item(flag, entry, subject: subject) else { continue }
                flagged[flag, default: []].append(item)
            }
        }
        var nameOf: [String: String] = [:]
        for (index, key) in dataset.keys.enumerated() where nameOf[key.key.appKey] == nil {
            nameOf[key.key.appKey] = names.names[index]
        }
        let utilisation = (made.alerts ?? []).filter { $0.rank == AlertRule.utilisation(1).rank }.map {
            Item(
                key: $0.key.appKey, subject: nameOf[$0.key.appKey] ?? HTMLCellText.clean($0.key.appKey),
                detail: HTMLCellText.clean($0.detail), weight: $0.weight)
        }
        func flag(_ flag: AuditFlag, _ tag: String, _ many: String) -> Kind {
            Kind(kind: "flag \(flag.rawValue)", tag: tag, items: flagged[flag] ?? [], many: many, place: auditPlace)
        }
        return [
            flag(.anomaly, "Possible leak", "far above their usual highs"),
            Kind(
                kind: "failed", tag: "Refused", items: refused, many: "refused by the service",
                place: "Failures (report.json)"),
            Kind(
                kind: "invoice", tag: "Invoice incomplete", items: invoices, many: "incomplete",
                noun: "customer-months",
                place: "Invoices (invoices.csv)"),
            Kind(
                kind: "incomplete", tag: "Incomplete", items: incomplete, many: "with days missing",
                place: "Summary (summary.csv)"),
            flag(.atQuota, "At quota", "at quota"),
            flag(.nearQuota, "Near quota", "near their quota"),
            Kind(
                kind: "alert", tag: "Alert: utilisation", items: utilisation, many: "above the utilisation alert",
                place: "Alerts (alerts.csv)"),
            flag(.planChange, "Plan change", "with a change of daily limit"),
            flag(.dormant, "Dormant", "with no call lately"),
            flag(.new, "New", "new in the range"),
        ]
    }

    /// The item of one flag of one key, or `nil` for a flag the list does not carry (`no-data`: the key is
    /// listed as refused or incomplete).
    private static func item(_ flag: AuditFlag, _ entry: KeyAudit.Entry, subject: String) -> Item? {
        let key = entry.key.appKey
        switch flag {
        case .anomaly:
            let finding = entry.anomaly
            let detail =
                "from \(finding.first.map(\.isoText) ?? ""): \(PlanRecommendation.grouped(finding.firstUsed ?? 0)) "
                + "calls against usual highs of \(PlanRecommendation.grouped(Int((finding.baselineHigh ?? 0).rounded()))), "
                + "\(finding.days.count) days"
            return Item(key: key, subject: subject, detail: detail, weight: finding.jump ?? 0)
        case .atQuota:
            let detail =
                "at quota on \(entry.daysAtQuota) of \(entry.daysReported) days"
                + (entry.recommendation.map { ": \($0.reason)" } ?? "")
            return Item(
                key: key, subject: subject, detail: HTMLCellText.clean(detail), weight: Double(entry.daysAtQuota),
                measure: entry.daysAtQuota)
        case .nearQuota:
            return Item(
                key: key, subject: subject, detail: HTMLCellText.clean(entry.recommendation?.reason ?? ""),
                weight: entry.peakUtilisation ?? 0)
        case .planChange:
            let detail = entry.plan.changes.map {
                "limit \(PlanRecommendation.grouped($0.from)) → \(PlanRecommendation.grouped($0.to)) on \($0.date)"
            }.joined(separator: "; ")
            return Item(
                key: key, subject: subject, detail: detail,
                weight: Double(entry.plan.changes.map { abs($0.to - $0.from) }.max() ?? 0))
        case .dormant:
            let detail = entry.lastCall.map { "no call since \($0.isoText)" } ?? "no call in the range"
            return Item(
                key: key, subject: subject, detail: detail, weight: -Double(entry.lastCall?.ordinal ?? -1_000_000))
        case .new:
            guard let first = entry.firstCall else { return nil }
            return Item(
                key: key, subject: subject, detail: "first call \(first.isoText)",
                weight: Double(entry.daysReported))
        case .noData:
            return nil
        }
    }
}
