import UsageAnalysis
import UsageCore

/// What a `ReportRenderer` writes and how.
public struct RenderOptions: Sendable {
    /// The number of rows of an Excel worksheet, header included.
    public static let excelRowLimit = 1_048_576

    /// The formats to write; an empty set writes nothing.
    public var formats: Set<ReportFormat>
    /// `--statements`: each customer's pack in `statements/`, written with the report and switched in with it.
    public var statements: StatementOptions?
    /// Whether CSV files start with a UTF-8 byte order mark, so that Excel reads them as UTF-8 (`--excel`).
    public var excelBOM: Bool
    /// The template that picks the report's tables.
    public var template: ReportTemplate
    /// The tool version written into report.json and the workbook's properties and About sheet.
    public var toolVersion: String
    /// The most rows a worksheet holds, its header included, before a sheet goes on in `Name (2)`; Excel's
    /// 1,048,576 by default, lowered by tests. Values below 2 count as 2, above Excel's limit as the limit.
    public var xlsxRowLimit: Int
    /// The rate card that prices the report (`--rates`): `invoices` and `invoice-lines`; `nil` prices nothing.
    public var rates: RateCard?
    /// How the quota audit judges keys (its tables are written when the template asks for them).
    public var audit = AuditOptions()
    /// `--alert` rules; when not empty, `alerts.csv` (and its sheet and JSON entry) is written.
    public var alertRules: [AlertRule] = []
    /// The company named in the workbook's properties (`--company`), or nil for none.
    public var company: String?
    /// The most cells a workbook holds and still gets Excel tables, which need it in memory (about 100 bytes a
    /// cell in libxlsxwriter); a larger one is streamed, its sheets plain ranges with a filter.
    public var xlsxTableCellLimit: Int = RenderOptions.defaultTableCellLimit
    /// Set by an interrupt: the render stops before its report is switched in.
    public var stop: RenderStop?

    /// 600,000 cells: 1,000 keys over about 80 days, some 60 MB.
    public static let defaultTableCellLimit = 600_000

    /// Options with defaults: every format, no BOM, the default template, this tool's version, Excel's row limit.
    public init(
        formats: Set<ReportFormat> = Set(ReportFormat.allCases),
        excelBOM: Bool = false,
        template: ReportTemplate = .default,
        toolVersion: String = TTUsageVersion.current,
        xlsxRowLimit: Int = RenderOptions.excelRowLimit,
        rates: RateCard? = nil,
        company: String? = nil
    ) {
        self.rates = rates
        self.company = company
        self.formats = formats
        self.excelBOM = excelBOM
        self.template = template
        self.toolVersion = toolVersion
        self.xlsxRowLimit = xlsxRowLimit
    }

    /// `xlsxRowLimit` clamped to what a worksheet can hold.
    var effectiveRowLimit: Int { min(max(xlsxRowLimit, 2), RenderOptions.excelRowLimit) }
}
