import ArgumentParser
import Foundation
import UsageAnalysis
import UsageCore
import UsageReports

/// Which reports to write, and how.
struct ReportOptions: ParsableArguments {
    @Option(help: "Formats, comma-separated: csv, json, xlsx, html.")
    var format: String = "csv,json,xlsx,html"

    @Option(
        help:
            "A bundled template (monthly-billing, quota-audit, spreadsheet-handoff: the default) or a template file (.yaml)."
    )
    var template: String?

    @Option(help: "A rate card (YAML): writes invoices.csv and invoice-lines.csv, priced exactly.")
    var rates: String?

    @Flag(help: "Start CSV files with a UTF-8 byte order mark, so Excel reads them as UTF-8.")
    var excel = false

    @Option(
        help: ArgumentHelp(
            "Alert rules, comma-separated: at-quota, anomaly, dormant, new, plan-change, utilisation>=F. A key "
                + "that meets one is listed in alerts.csv and on standard error, and the run exits 3.",
            valueName: "rules"))
    var alert: String?

    @Option(
        help: ArgumentHelp(
            "Anomaly thresholds of the quota audit, name=value comma-separated: window (28), min-days (14), "
                + "z (3), ratio (2), quantile (0.9), high-factor (2), min-calls (500), run (2).",
            valueName: "thresholds"))
    var anomaly: String?

    @Flag(
        help:
            "Also write OUT/statements/: one folder per customer (statement.html, .xlsx, .csv, and statement.eml when the rate card gives an address) and index.csv."
    )
    var statements = false

    @Option(
        help: ArgumentHelp(
            "The From of every statement.eml: an address, or Name <address>.", valueName: "address"))
    var statementFrom: String?

    func formats() throws -> Set<ReportFormat> {
        var result: Set<ReportFormat> = []
        for item in format.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = ReportFormat(rawValue: name) else {
                throw CommandError.usage("--format \(name) is not one of csv, json, xlsx, html")
            }
            result.insert(format)
        }
        guard !result.isEmpty else { throw CommandError.usage("--format names no format (csv, json, xlsx, html)") }
        return result
    }

    func renderOptions(_ profile: Profile?) throws -> RenderOptions {
        let template = self.template ?? profile?.template ?? ReportTemplate.defaultName
        var options = RenderOptions(
            formats: try formats(), excelBOM: excel, template: try ReportTemplate.resolve(template),
            toolVersion: TTUsageVersion.current, company: profile?.company)
        if let rules = alert ?? profile?.alert {
            options.alertRules = try AlertRule.parseList(rules, option: alert == nil ? "alert (profile)" : "--alert")
        }
        if let thresholds = anomaly ?? profile?.anomaly {
            options.audit.anomaly = try AnomalyThresholds.parse(
                thresholds, option: anomaly == nil ? "anomaly (profile)" : "--anomaly")
        }
        options.rates = try (self.rates ?? profile?.rates).map { try RateCard.load(path: $0) }
        return options
    }
}

/// Makes the output folder, locks it for this run (a second run into it is refused: "output busy", exit 75),
/// removes what killed runs left beside it and proves that a report can be built beside it, before any call.
enum OutputFolder {
    static func prepare(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        try OutputStage.prepare(url)
        return url
    }
}

/// What `plan` reads of the report options: only the template and the rate card decide what it fetches (a
/// billing report fetches the month before too).
struct PlanReportOptions: ParsableArguments {
    @Option(help: "The report's template (monthly-billing fetches the month before too; see export).")
    var template: String?

    @Option(help: "A rate card (YAML): month over month fetches the month before too.")
    var rates: String?

    /// Whether the export would fetch the month before the range.
    func fetchesMonthBefore(_ profile: Profile?) throws -> Bool {
        if (rates ?? profile?.rates) != nil { return true }
        let name = template ?? profile?.template ?? ReportTemplate.defaultName
        return try ReportTemplate.resolve(name).monthOverMonth
    }
}
