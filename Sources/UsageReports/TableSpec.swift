import UsageCore

/// One table as a template describes it: which rows (grouping and filter), which columns, in what order.
struct TableSpec: Hashable, Sendable {
    /// How rows and columns are laid out.
    enum Layout: String, Hashable, Sendable, CaseIterable {
        /// A row per group, a column per field.
        case list
        /// A row per key or label, a column per period (`across`) holding one measure (`value`).
        case matrix
        /// A row per customer (label) and calendar month with the month before: fixed columns, see
        /// `InvoiceTables.customerMonthColumns`.
        case monthOverMonth = "month-over-month"
    }

    /// What one row stands for, apart from its period.
    enum RowGroup: String, Hashable, Sendable {
        case key
        case label
    }

    /// A stretch of days rows or matrix columns are grouped by.
    enum Period: String, Hashable, Sendable, CaseIterable {
        case day
        case isoWeek = "iso-week"
        case month
    }

    /// A column: the field it shows and its header.
    struct Column: Hashable, Sendable {
        var field: ReportField
        var header: String
    }

    /// One key of the sort order.
    struct SortKey: Hashable, Sendable {
        var field: ReportField
        var descending: Bool
    }

    /// Which rows a table keeps; `nil` members keep every row.
    struct Filter: Hashable, Sendable {
        /// Keys whose status is one of these (tables grouped by key).
        var statuses: Set<KeyStatus>?
        /// Rows with (or without) reported days and not a single call.
        var dormant: Bool?
        /// Rows with (or without) a day at quota or above the threshold.
        var atRisk: Bool?

        static let all = Filter()
    }

    var id: String
    var title: String
    var layout: Layout = .list
    /// Rows per key, per label, or one row over every key (`nil`).
    var rowGroup: RowGroup?
    /// Rows per period as well (list layout only).
    var period: Period?
    /// The period of the matrix's columns.
    var across: Period?
    /// The measure in each matrix cell.
    var value: ReportField?
    var columns: [Column]
    var sort: [SortKey] = []
    /// A subtotal row after each run of rows sharing this column's value.
    var subtotal: ReportField?
    /// A grand total row in the footer.
    var total: Bool = false
    /// The utilisation (0…1] a day reaches to count in `days_above_threshold`.
    var threshold: Double = 0.8
    /// Rows at quota, or whose peak utilisation reaches this, are highlighted in the workbook.
    var highlight: Double?
    var filter: Filter = .all
    /// An analysis table (`analysis: key-audit`) whose rows and columns are fixed by the analysis, not by fields.
    var analysis: AnalysisTable?

    /// The fixed summary table: summary.csv and the Summary sheet, whatever the template.
    static func summary(nearQuota: Double) -> TableSpec {
        let fields: [(ReportField, String?)] = [
            (.label, nil), (.appKey, nil), (.userId, nil), (.status, nil), (.daysOk, nil), (.daysMissing, nil),
            (.used, "total_used"), (.meanPerDay, nil), (.peakDate, nil), (.peakUsed, nil), (.daysAtQuota, nil),
            (.meanUtilisation, nil), (.peakUtilisation, nil),
        ]
        return TableSpec(
            id: "summary", title: "Summary", rowGroup: .key,
            columns: fields.map { Column(field: $0.0, header: $0.1 ?? $0.0.rawValue) },
            total: true, highlight: nearQuota)
    }
}
