/// Exponential backoff with full jitter for transient faults, honouring `Retry-After`.
///
/// A throttle (429 Too Many Requests) is not a fault: it is retried at once, or after its `Retry-After`, and
/// does not count against `maxRetries`; the client's pacer has already slowed down. It ends the run only when
/// the client marks it stalled (no call has succeeded for the pacer's give-up time). A service that was never
/// reached (every connection refused) is tried `unreachedRetries` times more, not `maxRetries`.
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    /// The cap of the first backoff; it doubles each retry.
    public var baseDelay: Duration
    /// The largest backoff.
    public var maxDelay: Duration
    /// The longest `Retry-After` obeyed; a longer one is cut to this.
    public var maxRetryAfter: Duration
    /// Retries after a failure to connect to a service that has not answered once (``TTIDError/notReached``).
    public var unreachedRetries: Int
    /// The clock the waits between tries run on: the process's, or a test's that it advances.
    public var clock: PacingClock = .continuous

    public init(
        maxRetries: Int = 6, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120), unreachedRetries: Int = 1
    ) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.unreachedRetries = max(0, unreachedRetries)
    }

    /// The wait before retry number `retry` (1 for the first): a uniform draw in
    /// `0...min(maxDelay, baseDelay × 2^(retry-1))`, and never less than the service's `Retry-After`.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let cap = min(maxDelay, baseDelay * (1 << exponent))
        let capNanos = max(Int64(0), cap.nanoseconds)
        let jitter = Duration.nanoseconds(capNanos > 0 ? Int64.random(in: 0...capNanos) : 0)
        guard let retryAfter else { return jitter }
        return max(jitter, min(retryAfter, maxRetryAfter))
    }

    /// Runs `operation`, retrying it after transient `TTIDError`s. `onRetry` hears each retry after a fault
    /// before its wait, `onThrottle` each retry after a throttle.
    public func run<T: Sendable>(
        onRetry: (_ retry: Int, _ error: TTIDError, _ delay: Duration) async -> Void = { _, _, _ in },
        onThrottle: (_ error: TTIDError, _ delay: Duration) async -> Void = { _, _ in },
        _ operation: () async throws -> T
    ) async throws -> T {
        var retry = 0
        while true {
            do {
                return try await operation()
            } catch let error as TTIDError where error.isThrottle && error.stalledFor == nil {
                let wait = min(error.retryAfter ?? .zero, maxRetryAfter)
                await onThrottle(error, wait)
                if wait > .zero { try await clock.sleep(clock.elapsed() + wait) }
            } catch let error as TTIDError
                where error.kind == .transient && error.stalledFor == nil
                && retry < (error.notReached ? min(maxRetries, unreachedRetries) : maxRetries)
            {
                retry += 1
                let wait = delay(beforeRetry: retry, retryAfter: error.retryAfter)
                await onRetry(retry, error, wait)
                try await clock.sleep(clock.elapsed() + wait)
            }
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
