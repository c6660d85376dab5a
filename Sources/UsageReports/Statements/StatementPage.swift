import Foundation
import UsageAnalysis
import UsageCore

/// What `statement.html` shows, as plain values for its template: the customer, the period, warnings for
/// incomplete months, headline figures, the statement lines and months (the exact strings of invoice-lines.csv
/// and invoices.csv), calls per day as bars of table cells, calls per key per month, and the keys' holes.
struct StatementPage {
    struct Text { var text: String }

    struct Figure {
        var label: String
        var value: String
    }

    struct Column {
        var id: String
        var header: String
        var align: String
    }

    struct Cell {
        var text: String
        /// The cell exactly as the CSV files write it.
        var value: String
        var align: String
    }

    struct Row {
        var cells: [Cell]
        /// The row's inline background: banded, flagged (incomplete) or a total.
        var background: String
        var bold: Bool
    }

    struct Table {
        var id: String
        var title: String
        var caption: String
        var columns: [Column]
        var rows: [Row]
        var footer: [Row]
        var hasFooter: Bool
    }

    /// One day of the calls-per-day chart.
    struct Bar {
        var date: String
        var value: String
        var title: String
        var height: Int
        var color: String
        var label: String
    }

    var subject: String
    var customer: String
    var period: String
    var company: String
    var hasCompany: Bool
    var warnings: [Text]
    var hasWarnings: Bool
    var figures: [Figure]
    var tables: [Table]
    var bars: [Bar]
    var chartCaption: String
    var keyMonths: Table
    var holes: Table
    var hasHoles: Bool
    var generated: String
    var toolVersion: String

    static let chartHeight = 110
}

extension StatementPage {
    init(_ statement: Statement, tables: [ReportTable], options: RenderOptions) {
        subject = HTMLCellText.clean(statement.subject)
        customer = HTMLCellText.clean(statement.displayName)
        period = statement.period
        company = HTMLCellText.clean(options.company ?? "")
        hasCompany = !(options.company ?? "").isEmpty
        warnings = statement.warnings.map { Text(text: HTMLCellText.clean($0)) }
        hasWarnings = !warnings.isEmpty
        var figures = [
            Figure(label: "Calls", value: HTMLCellText.grouped(statement.calls)),
            Figure(label: "Keys", value: HTMLCellText.grouped(statement.dataset.keys.count)),
        ]
        if let amount = statement.amount, let currency = statement.currency {
            figures.append(Figure(label: "Amount", value: Money.text(amount, currency: currency) + " " + currency.code))
        }
        figures.append(Figure(label: "Complete", value: statement.complete ? "yes" : "no"))
        self.figures = figures
        let billing = tables.dropLast()
        self.tables = billing.map { table in
            switch table.id {
            case "invoice-lines":
                Self.table(
                    table, showing: ["month", "line", "quantity", "unit_price", "amount", "currency"], exact: true,
                    caption: "Each month's lines, as invoice-lines.csv writes them; unit_price is per 1,000 calls.")
            case "invoices":
                Self.table(
                    table,
                    showing: [
                        "month", "keys", "calls", "included_calls", "billable_calls", "amount", "complete", "note",
                    ], exact: false, caption: "")
            default:
                Self.table(
                    table,
                    showing: ["month", "keys", "calls", "previous_calls", "change", "change_pct", "complete", "note"],
                    exact: false, caption: "")
            }
        }
        keyMonths = Self.table(
            tables.last ?? StatementTables.keyMonths(statement), showing: nil, exact: false,
            caption: "Calls of each key in each month of the period (empty: no day reported).")
        (bars, chartCaption) = Self.bars(statement.dataset)
        holes = Self.holes(statement.dataset)
        hasHoles = !holes.rows.isEmpty
        generated = HTMLPage.timestamp(statement.dataset.generatedAt)
        toolVersion = options.toolVersion
    }

    private static let bands = ["#ffffff", "#f5f7fa"]
    private static let flaggedBackground = "#fff1c2"
    private static let totalBackground = "#e4ecf5"

    /// A report table as the page shows it: the columns `showing` (all when `nil`), each cell as the CSV writes
    /// it (`exact`) or grouped for reading.
    static func table(_ table: ReportTable, showing: [String]?, exact: Bool, caption: String) -> Table {
        let indices = table.columns.indices.filter { showing?.contains(table.columns[$0].id) ?? true }
        let columns = indices.map { index in
            let column = table.columns[index]
            return Column(
                id: HTMLCellText.clean(column.id), header: HTMLCellText.clean(column.header),
                align: column.type == .text ? "left" : "right")
        }
        func row(_ row: ReportTable.Row, band: Int) -> Row {
            let cells = indices.enumerated().map { position, index in
                let cell = row.cells[index]
                let value = HTMLCellText.exact(cell)
                return Cell(
                    text: exact ? value : HTMLCellText.display(cell, type: table.columns[index].type), value: value,
                    align: columns[position].align)
            }
            let background =
                row.kind == .total ? totalBackground : row.flagged ? flaggedBackground : bands[band % 2]
            return Row(cells: cells, background: background, bold: row.kind != .data)
        }
        return Table(
            id: HTMLCellText.clean(table.id), title: HTMLCellText.clean(table.title), caption: caption,
            columns: columns, rows: table.rows.enumerated().map { row($1, band: $0) },
            footer: table.footer.map { row($0, band: 0) }, hasFooter: !table.footer.isEmpty)
    }

    /// The customer's calls per day as bars (a missing day is a low grey bar), and a caption with the peak.
    static func bars(_ dataset: UsageDataset) -> ([Bar], String) {
        let range = dataset.range
        var totals = [Int?](repeating: nil, count: range.count)
        for key in dataset.keys {
            for day in key.days {
                guard let used = day.used, day.status != .missing, let offset = range.offset(of: day.date) else {
                    continue
                }
                totals[offset] = (totals[offset] ?? 0) + used
            }
        }
        let peak = totals.compactMap { $0 }.max() ?? 0
        let dense = range.count > 31
        let bars = range.enumerated().map { offset, day -> Bar in
            let (_, _, dayOfMonth) = day.components
            let label = !dense || dayOfMonth == 1 || dayOfMonth % 7 == 0 ? String(dayOfMonth) : ""
            guard let calls = totals[offset] else {
                return Bar(
                    date: day.isoText, value: "", title: "\(day.isoText): missing", height: 3, color: "#c3cad3",
                    label: label)
            }
            let height = peak > 0 ? max(1, Int((Double(calls) / Double(peak) * Double(chartHeight)).rounded())) : 1
            return Bar(
                date: day.isoText, value: String(calls), title: "\(day.isoText): \(HTMLCellText.grouped(calls)) calls",
                height: height, color: "#2f6fb0", label: label)
        }
        let busiest = totals.enumerated().filter { $0.element == peak && peak > 0 }.first
        let caption =
            busiest.map {
                "Calls per day (UTC) over the customer's keys; the busiest day: "
                    + "\(range.from.adding(days: $0.offset).isoText), \(HTMLCellText.grouped(peak)) calls."
            } ?? "Calls per day (UTC) over the customer's keys: no calls reported."
        return (bars, caption + " Grey: a day the service did not report.")
    }

    /// The keys with missing or provisional days (or refused), and which days.
    static func holes(_ dataset: UsageDataset) -> Table {
        let columns = [
            Column(id: "app_key", header: "app_key", align: "left"),
            Column(id: "label", header: "label", align: "left"),
            Column(id: "missing", header: "missing days", align: "left"),
            Column(id: "provisional", header: "provisional days", align: "left"),
        ]
        var rows: [Row] = []
        for usage in dataset.keys {
            let missing: String
            if let reason = usage.failureReason {
                missing = "refused: " + reason
            } else {
                missing = spans(usage.days.filter { $0.status == .missing }.map(\.date))
            }
            let provisional = spans(usage.days.filter { $0.status == .provisional }.map(\.date))
            guard !missing.isEmpty || !provisional.isEmpty else { continue }
            let cells = [usage.key.appKey, usage.key.label, missing, provisional].map {
                Cell(text: HTMLCellText.clean($0), value: HTMLCellText.clean($0), align: "left")
            }
            rows.append(Row(cells: cells, background: bands[rows.count % 2], bold: false))
        }
        return Table(
            id: "holes", title: "Keys with missing or provisional days",
            caption: "A missing day was not reported by the service; a provisional day's figure still grows.",
            columns: columns, rows: rows, footer: [], hasFooter: false)
    }

    /// Days as runs: `2026-10-03 to 2026-10-05, 2026-10-09`.
    static func spans(_ days: [Day]) -> String {
        var parts: [String] = []
        var index = 0
        while index < days.count {
            var end = index
            while end + 1 < days.count, days[end + 1].ordinal == days[end].ordinal + 1 { end += 1 }
            parts.append(
                end == index
                    ? days[index].isoText : "\(days[index].isoText) to \(days[end].isoText) (\(end - index + 1))")
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }
}
