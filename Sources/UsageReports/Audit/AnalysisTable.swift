import UsageAnalysis

/// A template table made by an analysis rather than from fields: its rows and columns are fixed.
///
/// ```yaml
/// - id: key-audit
///   title: Key audit
///   analysis: key-audit
/// ```
enum AnalysisTable: String, Sendable, Hashable, CaseIterable {
    /// The quota audit's row per key (``KeyAudit``): `key-audit.csv`.
    case keyAudit = "key-audit"
    /// The forecast of a month in progress (``UsageForecast``): `month-forecast.csv`.
    case monthForecast = "month-forecast"
}
