import Foundation
import UsageAnalysis
import UsageCore

/// The plain-text part of a statement's e-mail: who and when, the warnings of incomplete months, the lines and
/// total of each month when rated, each key's calls, and the keys' holes, for a mail client that shows no HTML.
enum StatementText {
    static func summary(_ statement: Statement, tables: [ReportTable], company: String?) -> String {
        var lines: [String] = []
        lines.append("TT API usage statement" + (company.map { " from \(MIMEText.oneLine($0))" } ?? ""))
        lines.append(MIMEText.oneLine(statement.displayName))
        lines.append(statement.period)
        lines.append("")
        for warning in statement.warnings { lines.append("! " + MIMEText.oneLine(warning)) }
        if !statement.warnings.isEmpty { lines.append("") }
        lines.append(
            "Calls: \(HTMLCellText.grouped(statement.calls)) on \(HTMLCellText.grouped(statement.dataset.keys.count)) "
                + (statement.dataset.keys.count == 1 ? "key" : "keys"))
        if let amount = statement.amount, let currency = statement.currency {
            lines.append("Amount: \(Money.text(amount, currency: currency)) \(currency.code)")
        }
        for invoice in statement.invoices {
            lines.append("")
            lines.append("\(invoice.usage.month): \(HTMLCellText.grouped(invoice.usage.calls)) calls")
            for line in invoice.lines {
                let unit = Money.text(line.unitPrice, currency: invoice.currency)
                lines.append(
                    "  \(line.line): \(line.quantity) x \(unit)\(line.line == "monthly fee" ? "" : " per 1,000") = "
                        + "\(Money.text(line.amount, currency: invoice.currency)) \(invoice.currency.code)")
            }
            lines.append("  total: \(Money.text(invoice.amount, currency: invoice.currency)) \(invoice.currency.code)")
            if !invoice.usage.complete { lines.append("  \(invoice.usage.note): figures may change") }
        }
        if statement.invoices.isEmpty {
            lines.append("")
            for month in statement.months {
                lines.append(
                    "\(month.month): \(HTMLCellText.grouped(month.calls)) calls"
                        + (month.complete ? "" : " (\(month.note): figures may change)"))
            }
        }
        if let keyMonths = tables.last {
            lines.append("")
            lines.append("Calls per key (" + keyMonths.columns.dropFirst(3).map(\.header).joined(separator: ", ") + ")")
            for row in keyMonths.rows {
                let figures = row.cells.dropFirst(3).map { cell -> String in
                    if case let .integer(value) = cell { return HTMLCellText.grouped(value) }
                    return "-"
                }
                let key = row.cells.prefix(3).map { cell -> String in
                    if case let .text(text) = cell { return MIMEText.oneLine(text) }
                    return ""
                }
                lines.append(
                    "  \(key[0]) (\(key[2].isEmpty ? "no label" : key[2])): " + figures.joined(separator: ", "))
            }
        }
        let holes = StatementPage.holes(statement.dataset)
        if !holes.rows.isEmpty {
            lines.append("")
            lines.append("Keys with missing or provisional days")
            for row in holes.rows {
                let cells = row.cells.map { MIMEText.oneLine($0.text) }
                var parts: [String] = []
                if !cells[2].isEmpty { parts.append("missing \(cells[2])") }
                if !cells[3].isEmpty { parts.append("provisional \(cells[3])") }
                lines.append("  \(cells[0]): " + parts.joined(separator: "; "))
            }
        }
        lines.append("")
        lines.append("Every key's figure of every day is in the attached statement.xlsx (sheet Daily).")
        return lines.joined(separator: "\n") + "\n"
    }
}
