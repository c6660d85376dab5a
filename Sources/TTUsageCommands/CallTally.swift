import Synchronization
import TTID

/// The keyusage answers of a run by outcome, counted as they come (for the metrics and the run history).
final class CallTally: Sendable {
    struct Counts: Sendable, Hashable {
        /// 2xx answers.
        var ok = 0
        /// 429 Too Many Requests (a spent quota is a fault: nothing more can succeed today).
        var throttled = 0
        /// Any other answer, or none.
        var fault = 0
    }

    private let counts = Mutex(Counts())

    var snapshot: Counts { counts.withLock { $0 } }

    /// Hears one exchange of the client; counts keyusage calls only.
    func hear(_ exchange: TTIDClient.Exchange) {
        guard exchange.endpoint == "keyusage" else { return }
        counts.withLock { counts in
            switch exchange.status {
            case .some(200..<300): counts.ok += 1
            case .some(429) where !exchange.quotaSpent: counts.throttled += 1
            default: counts.fault += 1
            }
        }
    }
}
