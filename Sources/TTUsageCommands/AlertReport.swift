import Foundation
import UsageAnalysis
import UsageCore
import UsageReports

/// What `--alert` does at the end of a run: the alert lines on standard error (the urgent first, one line for a
/// rule many keys share), and the exit code.
enum AlertReport {
    /// 2 when keys were refused (it wins), else 3 when any alert was raised, else 0; writes the alert lines.
    ///
    /// - Parameter files: The files the run wrote, to say where every alert is listed.
    static func exitCode(failures: Int, alerts: [KeyAlert], files: [URL] = []) -> Int32 {
        for line in KeyAlert.lines(alerts, listedIn: listing(files)) { StandardError.line(line) }
        if failures > 0 { return ExitCategory.partial.code }
        return alerts.isEmpty ? 0 : ExitCategory.alerts.code
    }

    /// Where a person finds every alert: alerts.csv, else report.json's `alerts`, else the workbook's sheet.
    static func listing(_ files: [URL]) -> String {
        let names = Set(files.map(\.lastPathComponent))
        if names.contains("alerts.csv") { return "alerts.csv" }
        if names.contains("report.json") { return "report.json (alerts)" }
        if names.contains("report.xlsx") { return "report.xlsx (sheet Alerts)" }
        return "the report's alerts"
    }
}
