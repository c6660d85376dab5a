import Foundation
import UsageAnalysis
import UsageCore

extension ReportDiff {
    /// The columns of changes.csv, a contract.
    public static let changeColumns = [
        "date", "app_key", "user_id", "label", "old_used", "new_used", "delta", "old_status", "new_status",
    ]
    /// The columns of invoice-changes.csv, a contract.
    public static let invoiceChangeColumns = ["month", "customer", "old_amount", "new_amount", "delta", "currency"]

    /// The changes as tables: `changes`, and `invoice-changes` when both reports hold invoices.
    var tables: [ReportTable] {
        let types: [CellType] = [.date, .text, .text, .text, .integer, .integer, .integer, .text, .text]
        let changes = ReportTable(
            id: "changes", title: "Changes",
            columns: zip(Self.changeColumns, types).map { ReportTable.Column(id: $0, header: $0, type: $1) },
            rows: keyDays.map { change in
                ReportTable.Row(
                    kind: .data, flagged: false,
                    cells: [
                        .date(change.date), .text(change.key.appKey), .text(change.key.userId), .text(change.key.label),
                        change.old?.used.map(ReportCell.integer) ?? .empty,
                        change.new?.used.map(ReportCell.integer) ?? .empty,
                        change.delta.map(ReportCell.integer) ?? .empty,
                        change.old.map { .text($0.status.rawValue) } ?? .empty,
                        change.new.map { .text($0.status.rawValue) } ?? .empty,
                    ])
            }, footer: [])
        guard let invoices else { return [changes] }
        let moneyTypes: [CellType] = [.text, .text, .money, .money, .money, .text]
        let invoiceChanges = ReportTable(
            id: "invoice-changes", title: "Invoice changes",
            columns: zip(Self.invoiceChangeColumns, moneyTypes).map {
                ReportTable.Column(id: $0, header: $0, type: $1)
            },
            rows: invoices.map { change in
                let currency = change.currency
                return ReportTable.Row(
                    kind: .data, flagged: false,
                    cells: [
                        .text(change.month), .text(change.customer),
                        change.old.map { .money($0, currency: currency) } ?? .empty,
                        change.new.map { .money($0, currency: currency) } ?? .empty,
                        .money(change.delta, currency: currency), .text(currency.code),
                    ])
            }, footer: [])
        return [changes, invoiceChanges]
    }

    /// Writes changes.csv (and invoice-changes.csv when both reports hold invoices) into `directory`, each
    /// through a temporary file renamed into place; returns the files.
    ///
    /// - Throws: `ReportError` `.cantCreate` when a file cannot be written.
    public func write(to directory: URL) throws -> [URL] {
        let stage = try OutputStage(directory: directory)
        do {
            for table in tables {
                let sink = try ByteSink(path: stage.temporaryURL(for: "\(table.id).csv").path)
                try CSVWriter.writeTable(table, byteOrderMark: false, to: sink)
            }
            return try stage.commit()
        } catch {
            stage.discard()
            throw error
        }
    }

    /// A few lines for people: the overlap, how many key-days and invoices changed, and the net change.
    public var summary: String {
        var lines = ["compared \(overlap.from) to \(overlap.to) (\(overlap.count.counted("day")))"]
        if keyDays.isEmpty {
            lines.append("key-days: no change")
        } else {
            let keys = Set(keyDays.map(\.key.appKey)).count
            let net = keyDays.reduce(0) { $0 + ($1.delta ?? 0) }
            lines.append("key-days: \(keyDays.count) changed over \(keys) keys, net \(net >= 0 ? "+" : "")\(net) calls")
        }
        if let invoices {
            if invoices.isEmpty {
                lines.append("invoices: no change")
            } else {
                lines.append("invoices: \(invoices.count) changed")
                for change in invoices.prefix(20) {
                    let delta = Money.text(change.delta, currency: change.currency)
                    lines.append(
                        "  \(change.month) \(change.customer): \(change.delta >= 0 ? "+" : "")\(delta) \(change.currency)"
                    )
                }
                if invoices.count > 20 { lines.append("  … and \(invoices.count - 20) more (see invoice-changes.csv)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}
