import Logging

extension TTIDClient {
    /// Runs `operation` with `retry` on one client, for commands that make a few calls (health, the quota check).
    ///
    /// The client, its pacer and its token outlive the retries: a throttle cuts the pacer's rate and the next
    /// attempt waits for its slot (or the `Retry-After` the service gave), never going out at once, and a token
    /// once granted is not asked for again. A run that is only throttled gives up after `giveUpAfter` with no
    /// call succeeding, so the command's time is bounded by that and the retries.
    public static func withRetries<T: Sendable>(
        configuration: TTIDClientConfiguration, credentials: TTCredentials, retry: RetryPolicy,
        rate: Double? = nil, giveUpAfter: Duration, logger: Logger = Logger(label: "ttid"),
        observer: (@Sendable (Exchange) -> Void)? = nil, clock: PacingClock = .continuous,
        _ operation: (TTIDClient) async throws -> T
    ) async throws -> T {
        let pacer = RequestPacer(
            ceiling: rate.flatMap { $0 > 0 ? $0 : nil }, giveUpAfter: giveUpAfter, clock: clock)
        return try await withClient(
            configuration: configuration, credentials: credentials, pacer: pacer, logger: logger, observer: observer,
            clock: clock
        ) { client in
            try await retry.run { try await operation(client) }
        }
    }
}
