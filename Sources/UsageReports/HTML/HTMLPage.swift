import Foundation
import UsageAnalysis
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

    /// One line of "Needs attention" (``HTMLAttention``).
    struct Attention {
        /// The item's classes, the tests' handle: `failed`, `incomplete`, `invoice`, `alert`, `flag anomaly`,
        /// `flag at-quota`…, with `group` for a line that stands for several keys, or `more`.
        var kind: String
        /// What kind of thing it is, in words: "Possible leak", "Refused", "At quota", …
        var tag: String
        var subject: String
        var detail: String
        /// Where every finding of its kind is listed (a table and its file).
        var place: String = ""
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

    /// A few rows of a table, rendered at once.
    struct RowChunk {
        var rows: [Row]
    }

    /// A table as the page shows it: its first ``shown`` rows, made into page rows a few at a time
    /// (``rows(_:)``) as the page is written, and a note naming the files that hold every row when it is cut.
    struct Table {
        var id: String
        var title: String
        var columns: [Column]
        var footer: [Row]
        var hasFooter: Bool
        /// "Showing the first 100 of 1,000 rows; every row is in ", `noteFile` ("summary.csv") and the rest
        /// (" (and report.json, report.xlsx)."); all empty when every row is shown.
        var notePrefix: String
        var noteFile: String
        var noteSuffix: String
        var hasNote: Bool
        /// The report table the rows come from.
        var source: ReportTable
        /// How many of its rows the page shows, from the first.
        var shown: Int

        /// The page rows of `range` (within `0..<shown`).
        func rows(_ range: Range<Int>) -> [Row] {
            source.rows[range].map { HTMLPage.row($0, of: source, columns: columns) }
        }
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
    /// At most this many rows of a table are on the page: a page is for reading, the files beside it hold every row.
    static let rowLimit = 100
    /// At most about this many cells of a table are on the page: a wide table (a key × day matrix of a year) shows
    /// fewer rows, so that the page stays a few megabytes whatever the dataset.
    static let cellLimit = 10_000
    /// A cut table shows at least this many rows, however wide.
    static let fewestRows = 10

    /// How many of a table's `rows` rows of `columns` columns the page shows.
    static func rowsShown(rows: Int, columns: Int) -> Int {
        min(rows, rowLimit, max(fewestRows, cellLimit / max(columns, 1)))
    }

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
        let names = KeyNames(dataset.keys.map(\.key))
        attention = HTMLAttention(dataset: dataset, made: made, names: names).lines()
        let leadingIDs: Set<String> = made.invoices == nil ? [] : ["invoices"]
        let formats = options.formats
        leading = made.tables.filter { leadingIDs.contains($0.id) }.map { Self.table($0, formats: formats) }
        tables = made.tables.filter { !leadingIDs.contains($0.id) }.map { Self.table($0, formats: formats) }
        charts = Self.charts(dataset, made, names: names)
        hasPurpose = !purpose.isEmpty
        hasCompany = !company.isEmpty
        hasAttention = !attention.isEmpty
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
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

    /// `table` as the page shows it; `formats` are those of the report, for the files the note names.
    static func table(_ table: ReportTable, formats: Set<ReportFormat>) -> Table {
        let columns = table.columns.map {
            Column(id: HTMLCellText.clean($0.id), header: HTMLCellText.clean($0.header), numeric: $0.type.isNumeric)
        }
        let shown = rowsShown(rows: table.rows.count, columns: columns.count)
        let cut = shown < table.rows.count
        // The files beside the page that hold every row: the table's CSV file first, the one people open.
        var files: [String] = []
        if formats.contains(.csv) { files.append("\(table.id).csv") }
        if formats.contains(.json) { files.append("report.json") }
        if formats.contains(.xlsx) { files.append("report.xlsx") }
        let prefix =
            "Showing the first \(HTMLCellText.grouped(shown)) of \(HTMLCellText.grouped(table.rows.count)) rows; "
            + "every row is in "
        let suffix =
            files.isEmpty
            ? ", which --format csv writes."
            : files.count > 1 ? " (and \(files.dropFirst().joined(separator: ", ")))." : "."
        return Table(
            id: HTMLCellText.clean(table.id), title: HTMLCellText.clean(table.title), columns: columns,
            footer: table.footer.map { row($0, of: table, columns: columns) }, hasFooter: !table.footer.isEmpty,
            notePrefix: cut ? prefix : "", noteFile: cut ? HTMLCellText.clean(files.first ?? "\(table.id).csv") : "",
            noteSuffix: cut ? suffix : "",
            hasNote: cut, source: table, shown: shown)
    }

    /// One row of `table` as page cells.
    static func row(_ row: ReportTable.Row, of table: ReportTable, columns: [Column]) -> Row {
        let cells = row.cells.enumerated().map { index, cell in
            let type = table.columns[index].type
            return Cell(
                text: HTMLCellText.display(cell, type: type), value: HTMLCellText.exact(cell),
                numeric: type.isNumeric, column: columns[index].id)
        }
        return Row(kind: row.kind.rawValue, flagged: row.flagged, cells: cells)
    }

    private static func charts(_ dataset: UsageDataset, _ made: ReportTables, names: KeyNames) -> [HTMLChart] {
        let range = dataset.range
        var totals = [Int?](repeating: nil, count: range.count)
        for key in dataset.keys {
            for day in key.days {
                guard let used = day.used, let offset = range.offset(of: day.date) else { continue }
                totals[offset] = (totals[offset] ?? 0) + used
            }
        }
        var charts = [HTMLChart.callsPerDay(totals, from: range.from)]
        let busiest = dataset.keys.enumerated().filter { $0.element.totals.used > 0 }
            .sorted { $0.element.totals.used > $1.element.totals.used }.prefix(10)
        if !busiest.isEmpty {
            charts.append(
                HTMLChart.bars(
                    id: "busiest-keys", title: "Busiest keys",
                    caption: "The \(busiest.count) keys with the most calls in the period; orange: at quota on a day.",
                    items: busiest.map { index, usage in
                        (
                            names.short[index], Double(usage.totals.used), HTMLCellText.grouped(usage.totals.used),
                            usage.totals.daysAtQuota > 0
                        )
                    }))
        }
        if let audit = made.audit {
            let ranked = audit.entries.enumerated().compactMap { index, entry in
                entry.peakShare.map { (index, entry, $0) }
            }.sorted { $1.2 < $0.2 }.prefix(15)
            if !ranked.isEmpty {
                charts.append(
                    HTMLChart.bars(
                        id: "utilisation", title: "Peak utilisation per key",
                        caption: "Each key's busiest day as a share of its daily limit; the marks are 80% (the "
                            + "recommendation's ceiling) and 100% (at quota).",
                        items: ranked.map { index, entry, peak in
                            (
                                names.short.indices.contains(index) ? names.short[index] : entry.key.appKey,
                                peak.value, HTMLCellText.percent(peak.rounded(places: ExactFigures.fractionPlaces)),
                                peak.value >= 1 || entry.daysAtQuota > 0
                            )
                        }, scaleTo: max(1, ranked.map(\.2.value).max() ?? 1), marks: [(0.8, "80%"), (1, "100%")]))
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
