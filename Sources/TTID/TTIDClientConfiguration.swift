/// How a `TTIDClient` talks to the service.
public struct TTIDClientConfiguration: Sendable {
    /// Host and environment.
    public var endpoint: TTIDEndpoint
    /// The names that go into every request ID.
    public var requestIDs: RequestIDFactory
    /// The deadline of one HTTP request, answer body included.
    public var requestTimeout: Duration
    /// The largest answer body read; a longer one is refused.
    public var maxBodyBytes: Int
    /// The most `position` pages followed for one keyusage call.
    public var maxPages: Int
    /// Share of a token's lifetime after which it is renewed.
    public var tokenRenewalFraction: Double
    /// Connections kept per host; set it to the concurrency.
    public var maxConnections: Int

    public init(
        endpoint: TTIDEndpoint, requestIDs: RequestIDFactory, requestTimeout: Duration = .seconds(30),
        maxBodyBytes: Int = 8 << 20, maxPages: Int = 20, tokenRenewalFraction: Double = 0.8, maxConnections: Int = 8
    ) {
        self.endpoint = endpoint
        self.requestIDs = requestIDs
        self.requestTimeout = requestTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxPages = maxPages
        self.tokenRenewalFraction = tokenRenewalFraction
        self.maxConnections = maxConnections
    }
}
