import Foundation

/// `statements/index.csv`: a row per customer, exactly `customer,folder,keys,calls,amount,currency,email,complete`
/// (amount and currency empty without a rate card; complete `false` when any of the customer's months is).
struct StatementIndex {
    static let header = ["customer", "folder", "keys", "calls", "amount", "currency", "email", "complete"]

    private var bytes: [UInt8] = Array((header.joined(separator: ",") + "\n").utf8)

    init(byteOrderMark: Bool) {
        if byteOrderMark { bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
    }

    /// One customer's row, taken from its statement so that the statement itself need not be kept.
    struct Row: Sendable {
        var cells: [ReportCell]
        /// Whether a statement.eml was written.
        var mailed: Bool

        init(_ statement: Statement, mailed: Bool) {
            cells = [
                .text(statement.customer), .text(statement.folder), .integer(statement.dataset.keys.count),
                .integer(statement.calls),
            ]
            if let amount = statement.amount, let currency = statement.currency {
                cells += [.money(amount, currency: currency), .text(currency.code)]
            } else {
                cells += [.empty, .empty]
            }
            cells += [.text(statement.recipient?.email ?? ""), .text(statement.complete ? "true" : "false")]
            self.mailed = mailed
        }
    }

    mutating func append(_ row: Row) {
        for (index, cell) in row.cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            CSVWriter.appendCell(cell, to: &bytes)
        }
        bytes.append(0x0A)
    }

    func write(to path: String) throws {
        try ByteSink(path: path).close(writing: bytes)
    }
}
