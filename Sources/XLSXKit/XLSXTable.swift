/// An Excel table over a worksheet range: a name, a header row naming the columns, banded rows, the table's own
/// filter and an optional total row (libxlsxwriter's `worksheet_add_table`).
public struct XLSXTable {
    /// What a column of the total row shows.
    public enum Total: Sendable {
        /// Nothing.
        case none
        /// A label such as `Total`.
        case label(String)
        /// `SUBTOTAL(109, column)`, with its value written as the cell's cached result.
        case sum(value: Double)
        /// A number that is not the sum of the column (a mean, a share, a date).
        case value(Double)
    }

    /// A column: its header (the name formulas and pivots use) and its total.
    public struct Column {
        public var header: String
        public var total: Total
        /// The format of the column's cell in the total row.
        public var totalFormat: XLSXCellFormat?

        /// A column named `header`.
        public init(header: String, total: Total = .none, totalFormat: XLSXCellFormat? = nil) {
            self.header = header
            self.total = total
            self.totalFormat = totalFormat
        }
    }

    /// The table's name: a letter or `_` first, then letters, digits, `_` or `.`, at most 255 characters.
    public var name: String
    public var columns: [Column]
    /// Whether the last row of the range is Excel's total row.
    public var totalRow: Bool

    /// A table named `name` (see `validName(_:)`) over `columns`, whose headers are made what a table needs:
    /// cut to a cell's length, not empty, and unique ignoring case (a repeated header gets ` (2)`, …). Write
    /// the header cells from `columns`, since the table's column names must equal them.
    public init(name: String, columns: [Column], totalRow: Bool = false) {
        self.name = name
        self.totalRow = totalRow
        var seen: Set<String> = []
        self.columns = columns.enumerated().map { index, column in
            var column = column
            var header = XLSXWorkbook.cellText(column.header)
            if header.isEmpty { header = "Column\(index + 1)" }
            var candidate = header
            var count = 1
            while !seen.insert(candidate.lowercased()).inserted {
                count += 1
                candidate = "\(header) (\(count))"
            }
            column.header = candidate
            return column
        }
    }

    /// `header` as a structured reference's column part: `[`, `]`, `#` and `'` are escaped with `'`.
    static func reference(_ header: String) -> String {
        var text = ""
        for character in header {
            if "[]#'".contains(character) { text.append("'") }
            text.append(character)
        }
        return "[" + text + "]"
    }

    /// `text` made a valid table name: other characters become `_`, a leading digit or `.` gets a `_` before it,
    /// and names Excel reads as a cell reference (`A1`, `R1C1`, `R`, `C`) get a `_` after.
    public static func validName(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let ok = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "."
            scalars.append(ok ? scalar : "_")
        }
        var name = String(scalars)
        if name.isEmpty { name = "Table" }
        if let first = name.unicodeScalars.first, !(first.properties.isAlphabetic || first == "_") {
            name = "_" + name
        }
        let upper = name.uppercased()
        let looksLikeCell =
            upper.wholeMatch(of: /[A-Z]{1,3}[0-9]+/) != nil
            || upper.wholeMatch(of: /R[0-9]*C[0-9]*/) != nil || upper == "R" || upper == "C"
        if looksLikeCell { name += "_" }
        if name.count > 255 { name = String(name.prefix(255)) }
        return name
    }
}
