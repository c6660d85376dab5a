import TTID
import UsageCore

/// Why an export stopped without a report.
public struct ExportError: CategorizedError, Hashable {
    public enum Reason: Hashable, Sendable {
        /// 429 Limit Exceeded.
        case quotaSpent(succeeded: Int, planned: Int)
        /// The credentials were refused.
        case credentialsRefused(TTIDError)
        /// Still failing after the retries, or unreachable.
        case unavailable(TTIDError, retries: Int)
        /// Throttled on and on: no call succeeded for the pacer's give-up time.
        case throttled(TTIDError, for: Duration)
        /// The store could not keep a fetched chunk.
        case store(String)
        /// Some other failure.
        case other(String)
    }

    public var reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    public var category: ExitCategory {
        switch reason {
        case .quotaSpent: .tempFail
        case .credentialsRefused: .noPermission
        case .store: .cantCreate
        case .unavailable, .throttled, .other: .unavailable
        }
    }

    public var description: String {
        switch reason {
        case .quotaSpent(let succeeded, let planned):
            return "the daily quota is spent (429 Limit Exceeded) after \(succeeded) of \(planned) keyusage calls "
                + "succeeded; no report was written; the quota resets at 00:00 UTC: run again after that"
        case .credentialsRefused(let error):
            return "the service refuses the credentials (TT_APP_KEY / TT_APP_SECRET): \(error)"
        case .unavailable(let error, let retries) where error.notReached:
            return "the service cannot be reached: no connection could be made in \((retries + 1).counted("attempt")) "
                + "(check --base-url and the network): \(error)"
        case .unavailable(let error, let retries):
            return "the service keeps failing after \(retries.counted("retry", "retries")): \(error)"
        case .throttled(var error, let stalled):
            error.stalledFor = nil
            return "the service kept throttling (429 Too Many Requests): no call succeeded for "
                + "\(ExportPlan.formatDuration(Double(stalled.components.seconds))) (--give-up-after): \(error)"
        case .store(let message):
            return "the usage store cannot be written: \(message)"
        case .other(let message):
            return message
        }
    }
}
