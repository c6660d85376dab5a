import UsageAnalysis
import UsageCore

/// Writes report tables and daily rows as CSV: RFC 4180 quoting, `\n` line ends, and a `'` before any text cell
/// that a spreadsheet would otherwise read as a formula (OWASP's advice against CSV injection).
enum CSVWriter {
    /// The columns of daily.csv, a contract scripts rely on.
    static let dailyHeader = ["date", "app_key", "user_id", "label", "used", "remaining", "status"]

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Appends one text cell, neutralised and quoted as needed.
    static func appendText(_ text: String, to bytes: inout [UInt8]) {
        var needsQuotes = false
        var first = true
        var injection = false
        for byte in text.utf8 {
            if first {
                injection =
                    byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "@") || byte == 0x09 || byte == 0x0D
                first = false
            }
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
            }
        }
        if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
        if injection { bytes.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in text.utf8 {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: text.utf8)
        }
    }

    /// One text cell as bytes, for values written on many rows.
    static func encodedText(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        appendText(text, to: &bytes)
        return bytes
    }

    /// Appends one cell of a table.
    static func appendCell(_ cell: ReportCell, to bytes: inout [UInt8]) {
        switch cell {
        case let .text(text): appendText(text, to: &bytes)
        case let .integer(value): TextEncoding.appendInteger(value, to: &bytes)
        case let .decimal(value, places):
            bytes.append(contentsOf: ReportCell.decimalText(value, places: places).utf8)
        case let .date(day): bytes.append(contentsOf: day.isoText.utf8)
        case let .money(amount, currency): bytes.append(contentsOf: Money.text(amount, currency: currency).utf8)
        case .empty: break
        }
    }

    /// Writes daily.csv: one row per key per day, manifest order then date order; failed keys have no rows.
    static func writeDaily(_ dataset: UsageDataset, byteOrderMark: Bool, to sink: ByteSink) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ByteSink.blockSize + 65_536)
        if byteOrderMark { bytes.append(contentsOf: CSVWriter.byteOrderMark) }
        bytes.append(contentsOf: dailyHeader.joined(separator: ",").utf8)
        bytes.append(0x0A)
        let dates = DateTextCache(range: dataset.range)
        let statuses: [DayStatus: [UInt8]] = Dictionary(
            uniqueKeysWithValues: DayStatus.allCases.map { ($0, Array($0.rawValue.utf8)) })
        for usage in dataset.keys where usage.status != .failed {
            // Key columns are the same on every row of the key: encode them once.
            var keyColumns: [UInt8] = [UInt8(ascii: ",")]
            appendText(usage.key.appKey, to: &keyColumns)
            keyColumns.append(UInt8(ascii: ","))
            appendText(usage.key.userId, to: &keyColumns)
            keyColumns.append(UInt8(ascii: ","))
            appendText(usage.key.label, to: &keyColumns)
            keyColumns.append(UInt8(ascii: ","))
            for day in usage.days {
                dates.append(day.date, to: &bytes)
                bytes.append(contentsOf: keyColumns)
                if let used = day.used { TextEncoding.appendInteger(used, to: &bytes) }
                bytes.append(UInt8(ascii: ","))
                if let remaining = day.remaining { TextEncoding.appendInteger(remaining, to: &bytes) }
                bytes.append(UInt8(ascii: ","))
                bytes.append(contentsOf: statuses[day.status] ?? [])
                bytes.append(0x0A)
            }
            try sink.drain(&bytes)
        }
        try sink.close(writing: bytes)
    }

    /// Writes a table: its header and its rows (not its footer; see `ReportTable.footer`).
    static func writeTable(_ table: ReportTable, byteOrderMark: Bool, to sink: ByteSink) throws {
        var bytes: [UInt8] = []
        if byteOrderMark { bytes.append(contentsOf: CSVWriter.byteOrderMark) }
        for (index, column) in table.columns.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendText(column.header, to: &bytes)
        }
        bytes.append(0x0A)
        for row in table.rows {
            for (index, cell) in row.cells.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendCell(cell, to: &bytes)
            }
            bytes.append(0x0A)
            try sink.drain(&bytes)
        }
        try sink.close(writing: bytes)
    }
}
