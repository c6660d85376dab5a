import Foundation

/// The API gateway's admission of a request: each application key's daily quota and token bucket.
///
/// A value type that the ``SandboxState`` actor owns, so a decision is atomic with the rest of the request.
struct SandboxGate: Sendable {
    /// Why the gate refused a request.
    enum Refusal: Sendable, Equatable {
        /// The key's daily quota is spent: 429 "Limit Exceeded".
        case quota
        /// The key's token bucket is empty: 429 "Too Many Requests".
        case rate
    }

    private struct Bucket {
        var tokens: Double
        var updated: Duration
    }

    private struct QuotaUse {
        var period: Int
        var count: Int
    }

    private var buckets: [String: Bucket] = [:]
    private var quotaUse: [String: QuotaUse] = [:]

    /// Counts a request against the key's quota and token bucket; the refusal when either says no.
    ///
    /// The quota is checked first; a request the quota refuses takes nothing from the bucket, and one the
    /// bucket refuses does not count against the quota. A third party's load
    /// (``SandboxConfiguration/externalLoad``) takes its share of each refill before the caller does.
    ///
    /// - Parameters:
    ///   - apiKey: The request's `x-api-key`.
    ///   - configuration: The limits.
    ///   - date: The wall-clock time, which decides the quota period.
    ///   - elapsed: The monotonic time, which refills the bucket.
    mutating func admit(
        apiKey: String,
        configuration: SandboxConfiguration,
        date: Date,
        elapsed: Duration
    ) -> Refusal? {
        let period = Self.quotaPeriod(containing: date, resetAt: configuration.quotaResetAt)
        var use = self.quotaUse[apiKey] ?? QuotaUse(period: period, count: 0)
        if use.period != period {
            use = QuotaUse(period: period, count: 0)
        }
        if let quota = configuration.dailyQuota, use.count >= quota {
            self.quotaUse[apiKey] = use
            return .quota
        }
        if let rate = configuration.rate {
            let capacity = Double(max(1, configuration.burst))
            let load = min(max(0, configuration.externalLoad ?? 0), max(0, rate))
            var bucket = self.buckets[apiKey] ?? Bucket(tokens: capacity, updated: elapsed)
            let seconds = max(0, (elapsed - bucket.updated) / .seconds(1))
            // The third party calls at `load` a second and is served first: what it spends of the refill never
            // reaches the caller's share.
            bucket.tokens = min(capacity, bucket.tokens + seconds * (rate - load))
            bucket.updated = elapsed
            guard bucket.tokens >= 1 else {
                self.buckets[apiKey] = bucket
                return .rate
            }
            bucket.tokens -= 1
            self.buckets[apiKey] = bucket
        }
        use.count += 1
        self.quotaUse[apiKey] = use
        return nil
    }

    /// Requests counted against `apiKey`'s quota in the period that contains `date`.
    func quotaUsed(apiKey: String, configuration: SandboxConfiguration, date: Date) -> Int {
        guard let use = self.quotaUse[apiKey],
            use.period == Self.quotaPeriod(containing: date, resetAt: configuration.quotaResetAt)
        else { return 0 }
        return use.count
    }

    /// The number of the 24-hour quota period that contains `date`: periods start at 00:00 UTC, or at
    /// `resetAt` and every 24 hours before and after it.
    static func quotaPeriod(containing date: Date, resetAt: Date?) -> Int {
        let anchor = resetAt?.timeIntervalSince1970 ?? 0
        return Int(((date.timeIntervalSince1970 - anchor) / 86_400).rounded(.down))
    }
}
