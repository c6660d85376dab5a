import Foundation
import UsageAnalysis
import UsageCore

/// The billing tables: `invoices` and `invoice-lines` (fixed ids) with a rate card, and a template's
/// month-over-month table (calls per customer and month, no amounts). Built once, so CSV, JSON, the workbook and HTML agree.
enum InvoiceTables {
    /// The columns of invoices.csv, a contract.
    static let invoiceColumns: [(String, CellType)] = [
        ("month", .text), ("customer", .text), ("keys", .integer), ("calls", .integer), ("included_calls", .integer),
        ("billable_calls", .integer), ("amount", .money), ("currency", .text), ("previous_calls", .integer),
        ("change", .integer), ("change_pct", .percent), ("complete", .text), ("note", .text),
    ]
    /// The columns of invoice-lines.csv, a contract.
    static let lineColumns: [(String, CellType)] = [
        ("month", .text), ("customer", .text), ("line", .text), ("quantity", .integer), ("unit_price", .money),
        ("amount", .money), ("currency", .text),
    ]
    /// The columns of customer-months.csv (the billing template without a rate card).
    static let customerMonthColumns: [(String, CellType)] = [
        ("month", .text), ("customer", .text), ("keys", .integer), ("calls", .integer), ("previous_calls", .integer),
        ("change", .integer), ("change_pct", .percent), ("complete", .text), ("note", .text),
    ]

    /// `invoices` (a total row per month in the footer) and `invoice-lines`.
    static func tables(_ invoices: [Invoice]) -> [ReportTable] {
        var rows: [ReportTable.Row] = []
        var footer: [ReportTable.Row] = []
        var lines: [ReportTable.Row] = []
        var month: String?
        var total = (keys: 0, calls: 0, billable: 0, amount: Decimal(0))
        func closeMonth(_ currency: CurrencyCode) {
            guard let month else { return }
            footer.append(
                ReportTable.Row(
                    kind: .total, flagged: false,
                    cells: [
                        .text(month), .text("total"), .integer(total.keys), .integer(total.calls), .empty,
                        .integer(total.billable), .money(total.amount, currency: currency), .text(currency.code),
                        .empty, .empty, .empty, .empty, .empty,
                    ]))
            total = (0, 0, 0, 0)
        }
        for invoice in invoices {
            let usage = invoice.usage
            if usage.month != month {
                closeMonth(invoice.currency)
                month = usage.month
            }
            let currency = invoice.currency
            rows.append(
                ReportTable.Row(
                    kind: .data, flagged: !usage.complete,
                    cells: [
                        .text(usage.month), .text(usage.customer), .integer(usage.keys), .integer(usage.calls),
                        .integer(invoice.includedCalls), .integer(invoice.billableCalls),
                        .money(invoice.amount, currency: currency), .text(currency.code),
                    ] + comparison(usage)))
            total.keys += usage.keys
            total.calls += usage.calls
            total.billable += invoice.billableCalls
            total.amount += invoice.amount
            for line in invoice.lines {
                lines.append(
                    ReportTable.Row(
                        kind: .data, flagged: false,
                        cells: [
                            .text(usage.month), .text(usage.customer), .text(line.line), .integer(line.quantity),
                            .money(line.unitPrice, currency: currency), .money(line.amount, currency: currency),
                            .text(currency.code),
                        ]))
            }
        }
        if let last = invoices.last { closeMonth(last.currency) }
        return [
            ReportTable(
                id: "invoices", title: "Invoices", columns: columns(invoiceColumns), rows: rows, footer: footer),
            ReportTable(
                id: "invoice-lines", title: "Invoice lines", columns: columns(lineColumns), rows: lines, footer: []),
        ]
    }

    /// `customer-months`: calls per customer and month with the month-over-month columns.
    static func customerMonthTable(_ months: [CustomerMonth], id: String, title: String) -> ReportTable {
        let rows = months.map { usage in
            ReportTable.Row(
                kind: .data, flagged: !usage.complete,
                cells: [.text(usage.month), .text(usage.customer), .integer(usage.keys), .integer(usage.calls)]
                    + comparison(usage))
        }
        return ReportTable(
            id: id, title: title, columns: columns(customerMonthColumns), rows: rows,
            footer: [])
    }

    /// previous_calls, change, change_pct, complete, note.
    private static func comparison(_ usage: CustomerMonth) -> [ReportCell] {
        [
            usage.previousCalls.map(ReportCell.integer) ?? .empty, usage.change.map(ReportCell.integer) ?? .empty,
            // A ratio, not money: the exact decimal fraction, rounded once to 4 places.
            usage.changeFraction.map(ReportCell.fraction) ?? .empty,
            .text(usage.complete ? "true" : "false"), usage.note.isEmpty ? .empty : .text(usage.note),
        ]
    }

    private static func columns(_ list: [(String, CellType)]) -> [ReportTable.Column] {
        list.map { ReportTable.Column(id: $0.0, header: $0.0, type: $0.1) }
    }
}
