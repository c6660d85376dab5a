import UsageAnalysis
import UsageCore

/// The audit's tables, with fixed ids so that every format writes them: `key-audit.csv`, `month-forecast.csv`,
/// `alerts.csv`, their entries of `tables` in report.json, a sheet each.
extension KeyAudit {
    /// The columns of `key-audit.csv`, a contract scripts rely on.
    static let keyAuditColumns: [(String, CellType)] = [
        ("app_key", .text), ("user_id", .text), ("label", .text), ("daily_limit", .integer), ("plan", .text),
        ("recommended_plan", .text), ("days_reported", .integer), ("days_at_quota", .integer),
        ("peak_used", .integer), ("peak_utilisation", .percent), ("anomaly_days", .integer),
        ("first_anomaly", .date), ("dormant", .text), ("new", .text), ("flags", .text), ("reason", .text),
    ]

    /// The columns of `month-forecast.csv`.
    static let forecastColumns: [(String, CellType)] = [
        ("app_key", .text), ("user_id", .text), ("label", .text), ("month", .text), ("days_settled", .integer),
        ("calls_so_far", .integer), ("days_at_quota_so_far", .integer), ("projected_calls", .integer),
        ("projected_low", .integer), ("projected_high", .integer), ("projected_days_at_quota", .integer),
    ]

    /// The columns of `alerts.csv`, a contract scripts rely on.
    static let alertColumns: [(String, CellType)] = [
        ("app_key", .text), ("user_id", .text), ("label", .text), ("rule", .text), ("date", .date),
        ("detail", .text),
    ]

    private static func columns(_ list: [(String, CellType)]) -> [ReportTable.Column] {
        list.map { ReportTable.Column(id: $0.0, header: $0.0, type: $0.1) }
    }

    private static func keyCells(_ key: KeyEntry) -> [ReportCell] {
        [.text(key.appKey), .text(key.userId), .text(key.label)]
    }

    /// A row per key, in manifest order; a key with any flag is highlighted.
    func keyAuditTable(id: String = "key-audit", title: String = "Key audit") -> ReportTable {
        let rows = entries.map { entry -> ReportTable.Row in
            let cells: [ReportCell] =
                Self.keyCells(entry.key) + [
                    entry.plan.dailyLimit.map(ReportCell.integer) ?? .empty,
                    entry.plan.planName.map(ReportCell.text) ?? .empty,
                    entry.recommendation.map { .text($0.plan.rawValue) } ?? .empty,
                    .integer(entry.daysReported), .integer(entry.daysAtQuota),
                    entry.peakUsed.map(ReportCell.integer) ?? .empty,
                    entry.peakShare.map { .fraction($0.rounded(places: ExactFigures.fractionPlaces)) } ?? .empty,
                    .integer(entry.anomaly.days.count),
                    entry.anomaly.first.map(ReportCell.date) ?? .empty,
                    .text(entry.dormant ? "yes" : "no"), .text(entry.new ? "yes" : "no"),
                    .text(entry.flags.map(\.rawValue).joined(separator: ";")), .text(entry.reason),
                ]
            return ReportTable.Row(kind: .data, flagged: !entry.flags.isEmpty, cells: cells)
        }
        return ReportTable(
            id: id, title: title, columns: Self.columns(Self.keyAuditColumns), rows: rows, footer: [])
    }

    /// A row per key with a forecast and a total row, when the range ends in a month in progress; else no row.
    func forecastTable(id: String = "month-forecast", title: String = "Month forecast") -> ReportTable {
        func cells(_ forecast: UsageForecast) -> [ReportCell] {
            [
                .text(forecast.month), .integer(forecast.daysSettled), .integer(forecast.callsSoFar),
                .integer(forecast.daysAtQuotaSoFar), forecast.projectedCalls.map(ReportCell.integer) ?? .empty,
                forecast.projectedLow.map(ReportCell.integer) ?? .empty,
                forecast.projectedHigh.map(ReportCell.integer) ?? .empty,
                forecast.projectedDaysAtQuota.map(ReportCell.integer) ?? .empty,
            ]
        }
        let rows = entries.compactMap { entry in
            entry.forecast.map {
                ReportTable.Row(kind: .data, flagged: false, cells: Self.keyCells(entry.key) + cells($0))
            }
        }
        let footer = forecastTotal.map {
            [ReportTable.Row(kind: .total, flagged: false, cells: [.text("Total"), .empty, .empty] + cells($0))]
        }
        return ReportTable(
            id: id, title: title, columns: Self.columns(Self.forecastColumns), rows: rows, footer: footer ?? [])
    }

    /// A row per alert.
    static func alertsTable(_ alerts: [KeyAlert]) -> ReportTable {
        let rows = alerts.map { alert in
            ReportTable.Row(
                kind: .data, flagged: true,
                cells: keyCells(alert.key) + [
                    .text(alert.rule), alert.date.map(ReportCell.date) ?? .empty, .text(alert.detail),
                ])
        }
        return ReportTable(id: "alerts", title: "Alerts", columns: columns(alertColumns), rows: rows, footer: [])
    }
}
