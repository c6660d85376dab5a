import Synchronization
import TTID

/// The keyusage answers of a run by outcome, counted as they come (for the metrics and the run history).
public final class CallTally: Sendable {
    public struct Counts: Sendable, Hashable {
        /// 2xx answers.
        public var ok = 0
        /// 429 Too Many Requests (a spent quota is a fault: nothing more can succeed today).
        public var throttled = 0
        /// Any other answer, or none.
        public var fault = 0

        public init() {}
    }

    private let counts = Mutex(Counts())

    public init() {}

    public var snapshot: Counts { counts.withLock { $0 } }

    /// Hears one exchange of the client; counts keyusage calls only.
    public func hear(_ exchange: TTIDClient.Exchange) {
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
