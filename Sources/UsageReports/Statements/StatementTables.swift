import UsageAnalysis
import UsageCore

/// A statement's tables, made once so that its workbook and its page show the same figures: the invoice lines
/// and invoices of the customer (the rows of invoice-lines.csv and invoices.csv), or its calls per month without
/// a rate card, and its calls per key per month.
enum StatementTables {
    /// The statement lines first (with a rate card), then the months.
    static func billing(_ statement: Statement) -> [ReportTable] {
        guard !statement.invoices.isEmpty else {
            return [InvoiceTables.customerMonthTable(statement.months, id: "months", title: "Months")]
        }
        let made = InvoiceTables.tables(statement.invoices)
        var result: [ReportTable] = []
        if let lines = made.first(where: { $0.id == "invoice-lines" }) {
            var statementLines = lines
            statementLines.title = "Statement"
            statementLines.footer = monthTotals(statement.invoices)
            result.append(statementLines)
        }
        if let invoices = made.first(where: { $0.id == "invoices" }) {
            var months = invoices
            months.title = "Months"
            result.append(months)
        }
        return result
    }

    /// Under the lines, each month's total (the invoice's amount).
    private static func monthTotals(_ invoices: [Invoice]) -> [ReportTable.Row] {
        invoices.map { invoice in
            ReportTable.Row(
                kind: .total, flagged: false,
                cells: [
                    .text(invoice.usage.month), .text(invoice.usage.customer), .text("total"), .empty, .empty,
                    .money(invoice.amount, currency: invoice.currency), .text(invoice.currency.code),
                ])
        }
    }

    /// The month labels of the statement's range, `YYYY-MM`, with the days of each inside the range.
    static func months(_ range: DayRange) -> [(label: String, inside: DayRange)] {
        CustomerMonths.months(of: range).map { whole, inside in
            let (year, month, _) = whole.from.components
            return ("\(year)-\(month < 10 ? "0" : "")\(month)", inside)
        }
    }

    /// `key-months`: a row per key (app key, user id, label), the calls of each month and of the range; a month
    /// with no reported day, or a refused key, is empty.
    static func keyMonths(_ statement: Statement) -> ReportTable {
        let months = months(statement.dataset.range)
        var columns = [
            ReportTable.Column(id: "app_key", header: "app_key", type: .text),
            ReportTable.Column(id: "user_id", header: "user_id", type: .text),
            ReportTable.Column(id: "label", header: "label", type: .text),
        ]
        columns += months.map { ReportTable.Column(id: $0.label, header: $0.label, type: .integer) }
        columns.append(ReportTable.Column(id: "total", header: "total", type: .integer))
        var totals = [Int?](repeating: nil, count: months.count + 1)
        let rows = statement.dataset.keys.map { usage -> ReportTable.Row in
            var cells: [ReportCell] = [.text(usage.key.appKey), .text(usage.key.userId), .text(usage.key.label)]
            var sum: Int?
            for (index, month) in months.enumerated() {
                var calls: Int?
                for day in usage.days where day.status != .missing && month.inside.contains(day.date) {
                    calls = (calls ?? 0) + (day.used ?? 0)
                }
                cells.append(calls.map(ReportCell.integer) ?? .empty)
                if let calls {
                    sum = (sum ?? 0) + calls
                    totals[index] = (totals[index] ?? 0) + calls
                }
            }
            cells.append(sum.map(ReportCell.integer) ?? .empty)
            if let sum { totals[months.count] = (totals[months.count] ?? 0) + sum }
            return ReportTable.Row(kind: .data, flagged: usage.status != .complete, cells: cells)
        }
        let footer = ReportTable.Row(
            kind: .total, flagged: false,
            cells: [.text("total"), .empty, .empty] + totals.map { $0.map(ReportCell.integer) ?? .empty })
        return ReportTable(
            id: "key-months", title: "Keys by month", columns: columns, rows: rows, footer: [footer])
    }
}
