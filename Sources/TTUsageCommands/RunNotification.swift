import Foundation
import UsageCore
import UsageReports

/// The JSON a webhook receives after a run: `text` is the paragraph a person reads; the other members are for
/// programs. It carries no secret: error lines are the ones the user saw, which never hold the secret or a token.
struct RunNotification: Encodable {
    struct Alert: Encodable {
        var app_key: String
        var user_id: String
        var label: String
        var rule: String
        var date: String
        var detail: String
    }

    struct Failure: Encodable {
        var app_key: String
        var user_id: String
        var label: String
        var reason: String
    }

    var text: String
    var exit_code: Int32
    var from: String
    var to: String
    var template: String
    var alerts: [Alert]
    var failures: [Failure]
    var invoices_total: [String: String]
    var out: String

    init(_ outcome: RunWatch.Outcome, exitCode: Int32) {
        exit_code = exitCode
        from = outcome.range?.from.description ?? ""
        to = outcome.range?.to.description ?? ""
        template = outcome.template
        out = outcome.out
        invoices_total = outcome.invoiceTotals
        alerts = outcome.alerts.map {
            Alert(
                app_key: $0.key.appKey, user_id: $0.key.userId, label: $0.key.label, rule: $0.rule,
                date: $0.date?.description ?? "", detail: $0.detail)
        }
        failures = (outcome.dataset?.keys ?? []).compactMap { usage in
            usage.failureReason.map {
                Failure(app_key: usage.key.appKey, user_id: usage.key.userId, label: usage.key.label, reason: $0)
            }
        }
        text = Self.paragraph(outcome, exitCode: exitCode, alerts: alerts.count, failures: failures.count)
    }

    var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// One paragraph: the period, what happened, what to do.
    static func paragraph(_ outcome: RunWatch.Outcome, exitCode: Int32, alerts: Int, failures: Int) -> String {
        let period = outcome.range.map { "\($0.from) to \($0.to)" } ?? "(no range)"
        let head =
            "ttusage \(outcome.command) of \(period)"
            + (outcome.environment.isEmpty ? "" : " (\(outcome.environment))")
        let report = outcome.out.isEmpty ? "" : " in \(outcome.out)"
        let error = outcome.error.map { ": \($0)" } ?? ""
        switch exitCode {
        case 0:
            return "\(head): done, \(outcome.keys.counted("key")) complete; the report is\(report)."
        case 2:
            return "\(head): the report is\(report), but the service refused \(failures.counted("key")) "
                + "(listed under failures): check that the app key may read them (administrative permissions) "
                + "and that their user ids are right."
        case 3:
            return "\(head): the report is\(report), and \(alerts.counted("alert")) need a look "
                + "(alerts.csv beside it): act on them, possible leaks first."
        case 69:
            return "\(head) stopped: the service could not be reached or kept failing\(error). No report was "
                + "written; what was fetched is kept in the store. Run it again later."
        case 73:
            return "\(head) stopped: the output could not be written\(error). Free the disk or fix the folder's "
                + "permissions, then run it again."
        case 75:
            return "\(head) stopped\(error). No report was written; run it again (after 00:00 UTC when the quota is "
                + "spent, or use --wait-for-quota)."
        case 77:
            return "\(head) stopped: the service refused the credentials\(error). Check TT_APP_KEY and TT_APP_SECRET "
                + "(or the credentials file) in TT Setup."
        case 130, 143:
            return "\(head) was interrupted (\(exitCode == 130 ? "SIGINT" : "SIGTERM")): no report was written; "
                + "run the same command again to go on."
        default:
            return "\(head) ended with exit code \(exitCode)\(error)."
        }
    }
}
