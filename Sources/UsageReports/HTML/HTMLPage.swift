import Foundation
import UsageCore

/// Everything `report.html` shows, as plain values for the page template: made from the same `ReportTables`
/// as the CSV files, report.json and the workbook, so the formats cannot disagree.
struct HTMLPage {
    /// A headline figure: "Calls", "1,234,567".
    struct Figure {
        var label: String
        var value: String
        var note: String
        var warn: Bool
    }

    /// One thing the reader should act on.
    struct Attention {
        /// `failed`, `incomplete`, `invoice`, `flag` or `alert`: a class and the tests' handle.
        var kind: String
        /// What kind of thing it is, in words: "Refused", "Incomplete", …
        var tag: String
        var subject: String
        var detail: String
    }

    struct Column {
        var id: String
        var header: String
        var numeric: Bool
    }

    struct Cell {
        var text: String
        /// The cell exactly as in the CSV file.
        var value: String
        var numeric: Bool
        var column: String
    }

    struct Row {
        /// `data`, `subtotal` or `total`.
        var kind: String
        var flagged: Bool
        var cells: [Cell]
    }

    struct Table {
        var id: String
        var title: String
        var columns: [Column]
        var rows: [Row]
        var footer: [Row]
        var hasFooter: Bool
        /// "Showing the first 500 of 1,000 rows; all of them are in key-audit.csv.", or empty.
        var note: String
        var hasNote: Bool
    }

    var title: String
    var template: String
    var purpose: String
    var hasPurpose: Bool
    var period: String
    var generated: String
    var environment: String
    var company: String
    var hasCompany: Bool
    var toolVersion: String
    var figures: [Figure]
    var attention: [Attention]
    var hasAttention: Bool
    /// Tables that lead the page (the invoices), before the charts.
    var leading: [Table]
    var charts: [HTMLChart]
    /// The rest of the report's tables, in the order of the other formats.
    var tables: [Table]
}

extension HTMLPage {
    /// At most this many rows of a table are on the page; the CSV file holds them all.
    static let rowLimit = 500

    init(dataset: UsageDataset, made: ReportTables, options: RenderOptions) {
        let range = dataset.range
        title = "TT API key usage"
        template = options.template.name
        purpose = HTMLCellText.clean(options.template.purpose)
        period = "\(range.from.isoText) to \(range.to.isoText)"
        generated = Self.timestamp(dataset.generatedAt)
        environment = HTMLCellText.clean(dataset.environment)
        company = HTMLCellText.clean(options.company ?? "")
        toolVersion = options.toolVersion
        figures = Self.figures(dataset, made)
        attention = Self.attention(dataset, made)
        let leadingIDs: Set<String> = made.invoices == nil ? [] : ["invoices"]
        leading = made.tables.filter { leadingIDs.contains($0.id) }.map(Self.table)
        tables = made.tables.filter { !leadingIDs.contains($0.id) }.map(Self.table)
        charts = Self.charts(dataset, made)
        hasPurpose = !purpose.isEmpty
        hasCompany = !company.isEmpty
        hasAttention = !attention.isEmpty
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func name(_ key: KeyEntry) -> String {
        HTMLCellText.clean(key.label.isEmpty ? key.appKey : "\(key.label) (\(key.appKey.prefix(8)))")
    }

    private static func figures(_ dataset: UsageDataset, _ made: ReportTables) -> [Figure] {
        let keys = dataset.keys
        let calls = keys.reduce(0) { $0 + $1.totals.used }
        let failed = keys.filter { $0.status == .failed }.count
        let incomplete = keys.filter { $0.status == .incomplete }.count
        let atQuota = keys.reduce(0) { $0 + $1.totals.daysAtQuota }
        var figures = [
            Figure(label: "Calls", value: HTMLCellText.grouped(calls), note: "all keys, all days", warn: false),
            Figure(label: "Keys", value: HTMLCellText.grouped(keys.count), note: "in the manifest", warn: false),
            Figure(label: "Days", value: HTMLCellText.grouped(dataset.range.count), note: "in the period", warn: false),
            Figure(
                label: "Incomplete keys", value: HTMLCellText.grouped(incomplete), note: "with missing days",
                warn: incomplete > 0),
            Figure(label: "Refused keys", value: HTMLCellText.grouped(failed), note: "no data", warn: failed > 0),
            Figure(
                label: "Key-days at quota", value: HTMLCellText.grouped(atQuota), note: "remaining 0",
                warn: atQuota > 0),
        ]
        if let invoices = made.invoices, let currency = invoices.first?.currency {
            let total = invoices.reduce(Decimal(0)) { $0 + $1.amount }
            let text = HTMLCellText.groupedMoney(Money.text(total, currency: currency)) + " " + currency.code
            let open = invoices.filter { !$0.usage.complete }.count
            figures.append(
                Figure(
                    label: "Invoiced", value: text,
                    note: "\(invoices.count) customer-months" + (open > 0 ? ", \(open) incomplete" : ""), warn: open > 0
                ))
        }
        if let audit = made.audit {
            let flagged = audit.entries.filter { !$0.flags.isEmpty }.count
            figures.append(
                Figure(
                    label: "Flagged keys", value: HTMLCellText.grouped(flagged), note: "in the audit", warn: flagged > 0
                ))
        }
        return figures
    }

    private static func attention(_ dataset: UsageDataset, _ made: ReportTables) -> [Attention] {
        var items: [Attention] = []
        for key in dataset.keys {
            switch key.status {
            case .failed:
                items.append(
                    Attention(
                        kind: "failed", tag: "Refused", subject: name(key.key),
                        detail: HTMLCellText.clean(key.failureReason ?? "refused by the service")))
            case .incomplete:
                let missing = key.totals.daysMissing
                items.append(
                    Attention(
                        kind: "incomplete", tag: "Incomplete", subject: name(key.key),
                        detail: "\(missing) of \(dataset.range.count.counted("day")) missing"))
            case .complete: break
            }
        }
        for invoice in made.invoices ?? [] where !invoice.usage.complete {
            items.append(
                Attention(
                    kind: "invoice", tag: "Invoice incomplete",
                    subject: HTMLCellText.clean("\(invoice.usage.customer), \(invoice.usage.month)"),
                    detail: HTMLCellText.clean(invoice.usage.note)))
        }
        for entry in made.audit?.entries ?? [] where !entry.flags.isEmpty {
            items.append(
                Attention(
                    kind: "flag", tag: entry.flags.map(\.rawValue).joined(separator: ", "), subject: name(entry.key),
                    detail: HTMLCellText.clean(entry.reason)))
        }
        for alert in made.alerts ?? [] {
            items.append(
                Attention(
                    kind: "alert", tag: "Alert: \(alert.rule)", subject: name(alert.key),
                    detail: HTMLCellText.clean((alert.date.map { "\($0.isoText): " } ?? "") + alert.detail)))
        }
        return items
    }

    static func table(_ table: ReportTable) -> Table {
        let columns = table.columns.map {
            Column(id: HTMLCellText.clean($0.id), header: HTMLCellText.clean($0.header), numeric: $0.type.isNumeric)
        }
        func row(_ row: ReportTable.Row) -> Row {
            let cells = row.cells.enumerated().map { index, cell in
                let type = table.columns[index].type
                return Cell(
                    text: HTMLCellText.display(cell, type: type), value: HTMLCellText.exact(cell),
                    numeric: type.isNumeric, column: columns[index].id)
            }
            return Row(kind: row.kind.rawValue, flagged: row.flagged, cells: cells)
        }
        let shown = table.rows.prefix(rowLimit)
        let note =
            table.rows.count > rowLimit
            ? "Showing the first \(HTMLCellText.grouped(rowLimit)) of \(HTMLCellText.grouped(table.rows.count)) rows; "
                + "all of them are in \(table.id).csv and report.json."
            : ""
        return Table(
            id: HTMLCellText.clean(table.id), title: HTMLCellText.clean(table.title), columns: columns,
            rows: shown.map(row), footer: table.footer.map(row), hasFooter: !table.footer.isEmpty, note: note,
            hasNote: !note.isEmpty)
    }

    private static func charts(_ dataset: UsageDataset, _ made: ReportTables) -> [HTMLChart] {
        let range = dataset.range
        var totals = [Int?](repeating: nil, count: range.count)
        for key in dataset.keys {
            for day in key.days {
                guard let used = day.used, let offset = range.offset(of: day.date) else { continue }
                totals[offset] = (totals[offset] ?? 0) + used
            }
        }
        var charts = [HTMLChart.callsPerDay(totals, from: range.from)]
        let busiest = dataset.keys.filter { $0.totals.used > 0 }.sorted { $0.totals.used > $1.totals.used }.prefix(10)
        if !busiest.isEmpty {
            charts.append(
                HTMLChart.bars(
                    id: "busiest-keys", title: "Busiest keys",
                    caption: "The \(busiest.count) keys with the most calls in the period; orange: at quota on a day.",
                    items: busiest.map {
                        (
                            name(
                                $0.key), Double($0.totals.used), HTMLCellText.grouped($0.totals.used),
                            $0.totals.daysAtQuota > 0
                        )
                    }))
        }
        if let audit = made.audit {
            let ranked = audit.entries.compactMap { entry in entry.peakUtilisation.map { (entry, $0) } }
                .sorted { $0.1 > $1.1 }.prefix(15)
            if !ranked.isEmpty {
                charts.append(
                    HTMLChart.bars(
                        id: "utilisation", title: "Peak utilisation per key",
                        caption: "Each key's busiest day as a share of its daily limit; the marks are 80% (the "
                            + "recommendation's ceiling) and 100% (at quota).",
                        items: ranked.map { entry, peak in
                            (name(entry.key), peak, HTMLCellText.percent(peak), peak >= 1 || entry.daysAtQuota > 0)
                        }, scaleTo: max(1, ranked.map(\.1).max() ?? 1), marks: [(0.8, "80%"), (1, "100%")]))
            }
        }
        return charts
    }
}

extension CellType {
    var isNumeric: Bool {
        switch self {
        case .integer, .decimal, .percent, .money: true
        case .text, .date: false
        }
    }
}
