extension KeyAlert {
    /// How many keys may share a rule before one line stands for them.
    public static let groupAbove = 3

    /// The alerts as lines for people (standard error), in the order given (``KeyAudit/alerts(_:)``: the urgent
    /// first): a line per alert while at most ``groupAbove`` keys share a rule, else one line for the rule naming
    /// how many keys, the largest and the smallest finding, and where every one is listed (`listedIn`).
    public static func lines(_ alerts: [KeyAlert], listedIn: String) -> [String] {
        var lines: [String] = []
        var start = alerts.startIndex
        while start < alerts.endIndex {
            let rule = alerts[start].rule
            let end = alerts[start...].firstIndex { $0.rule != rule } ?? alerts.endIndex
            let group = alerts[start..<end]
            if group.count <= groupAbove {
                lines += group.map(\.line)
            } else if let first = group.first, let last = group.last {
                lines.append(
                    "alert: \(rule): \(group.count) keys, the largest \(first.subject): \(first.detail); "
                        + "the smallest \(last.subject): \(last.detail); each one in \(listedIn)")
            }
            start = end
        }
        return lines
    }

    /// The key, its label and the day, as a line names them: `KEY (label) 2026-09-01`.
    var subject: String {
        let label = key.label.isEmpty ? "" : " (\(Self.printable(key.label)))"
        let day = date.map { " \($0)" } ?? ""
        return "\(Self.printable(key.appKey))\(label)\(day)"
    }
}
