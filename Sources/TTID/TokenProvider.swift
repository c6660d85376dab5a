/// A bearer token and how long the service said it lives.
public struct TokenGrant: Sendable {
    public var accessToken: String
    /// `seconds_until_expiry`, when the answer gave it.
    public var lifetime: Duration?

    public init(accessToken: String, lifetime: Duration?) {
        self.accessToken = accessToken
        self.lifetime = lifetime
    }
}

/// Hands out a valid bearer token to any number of concurrent callers.
///
/// The token is cached and renewed once `renewalFraction` of its lifetime has passed (80% by default), with at
/// most one renewal in flight however many callers wait for it. ttid has no refresh grant: renewal is a new
/// `/token` call.
public actor TokenProvider {
    public typealias Fetch = @Sendable () async throws -> TokenGrant

    private let fetch: Fetch
    private let renewalFraction: Double
    /// Used when the service gives no lifetime.
    private let assumedLifetime: Duration
    private let clock: PacingClock
    /// The cached token and when it is due for renewal, on `clock`.
    private var current: (token: String, renewAt: Duration)?
    /// The renewal under way and when it began: the token's life counts from then, whoever waits for it.
    private var inFlight: (task: Task<TokenGrant, any Error>, started: Duration)?

    /// Tokens fetched so far.
    public private(set) var fetches = 0

    /// `clock` decides when a token is due (a test hands in one it advances).
    public init(
        renewalFraction: Double = 0.8, assumedLifetime: Duration = .seconds(300), clock: PacingClock = .continuous,
        fetch: @escaping Fetch
    ) {
        self.fetch = fetch
        self.clock = clock
        self.renewalFraction = min(max(renewalFraction, 0.1), 0.95)
        self.assumedLifetime = assumedLifetime
    }

    /// A token that is not due for renewal; fetches one when needed.
    public func token() async throws -> String {
        if let current, clock.elapsed() < current.renewAt { return current.token }
        return try await renew()
    }

    /// Drops `token` if it is still the cached one (the service said it expired), so the next call renews.
    public func invalidate(_ token: String) {
        if current?.token == token { current = nil }
    }

    private func renew() async throws -> String {
        let renewal: (task: Task<TokenGrant, any Error>, started: Duration)
        if let inFlight {
            renewal = inFlight
        } else {
            let fetch = self.fetch
            renewal = (Task { try await fetch() }, clock.elapsed())
            inFlight = renewal
            fetches += 1
        }
        do {
            let grant = try await renewal.task.value
            if inFlight?.task == renewal.task {
                inFlight = nil
                let lifetime = grant.lifetime ?? assumedLifetime
                current = (grant.accessToken, renewal.started + lifetime * renewalFraction)
            }
            return grant.accessToken
        } catch {
            if inFlight?.task == renewal.task { inFlight = nil }
            throw error
        }
    }
}
