import UsageCore
import UsageReports

/// What `--alert` does at the end of a run: a line per alert on standard error, and the exit code.
enum AlertReport {
    /// 2 when keys were refused (it wins), else 3 when any alert was raised, else 0; writes the alert lines.
    static func exitCode(failures: Int, alerts: [KeyAlert]) -> Int32 {
        for alert in alerts { StandardError.line(alert.line) }
        if failures > 0 { return ExitCategory.partial.code }
        return alerts.isEmpty ? 0 : ExitCategory.alerts.code
    }
}
