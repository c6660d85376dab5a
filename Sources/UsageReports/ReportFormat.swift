/// A file format a report can be written in.
public enum ReportFormat: String, Sendable, CaseIterable, Hashable {
    /// `daily.csv`, `summary.csv` and one `<table-id>.csv` per table of the template.
    case csv
    /// `report.json`: the whole dataset and every table (see `Resources/report.schema.json`).
    case json
    /// `report.xlsx`: Summary, Daily, the template's tables, Charts and About sheets.
    case xlsx
    /// `report.html`: one self-contained page (inline CSS and SVG charts, no script) for e-mail and phones.
    case html
}
