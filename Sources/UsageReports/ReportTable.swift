/// One table of a report, as every format renders it: a CSV file, an entry of `tables` in report.json and a
/// worksheet. Building the table once is what keeps the three formats from disagreeing.
struct ReportTable: Hashable, Sendable {
    /// A column: its stable id (a field name or a period label), its header text and the type of its cells.
    struct Column: Hashable, Sendable {
        var id: String
        var header: String
        var type: CellType
    }

    /// What a row stands for.
    enum RowKind: String, Hashable, Sendable {
        /// One group of the table (a key, a key in a month, a label…).
        case data
        /// The subtotal of the data rows above it that share the subtotal column's value.
        case subtotal
        /// The grand total of the table (only in the footer).
        case total
    }

    /// A row of cells, one per column.
    struct Row: Hashable, Sendable {
        var kind: RowKind
        /// Rows at or near their quota, highlighted in the workbook.
        var flagged: Bool
        var cells: [ReportCell]
    }

    /// The table's id: the stem of its CSV file and its id in report.json.
    var id: String
    /// The table's title: the name of its worksheet.
    var title: String
    var columns: [Column]
    /// Data and subtotal rows: what CSV, JSON and the worksheet all hold.
    var rows: [Row]
    /// Grand total rows, for people: in the worksheet (below the data) and in report.json, not in the CSV file,
    /// which keeps one line per group for scripts.
    var footer: [Row]
}
