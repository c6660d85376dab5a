/// What a sandbox has seen and answered since it was created or its counters were last reset.
public struct SandboxCounters: Sendable, Equatable {
    /// Requests to `POST /token`.
    public var tokenRequests: Int = 0
    /// Requests to `GET /keyusage`.
    public var keyUsageRequests: Int = 0
    /// Requests to `GET /healthcheckstatus`.
    public var healthRequests: Int = 0
    /// Requests to any other path or with a wrong method (answered 403 "Missing Authentication Token").
    public var otherRequests: Int = 0
    /// HTTP 429 "Too Many Requests" answers: the rate limiter's and the injected `throttle429` faults.
    public var throttled: Int = 0
    /// HTTP 429 "Limit Exceeded" answers: the daily quota was spent.
    public var quotaRefused: Int = 0
    /// Requests that got an injected fault instead of their answer.
    public var faultsInjected: Int = 0
    /// Answers refusing credentials: 403 for an unknown `x-api-key`, 401/403 for a missing, unknown, expired or
    /// foreign bearer token, and `POST /token`'s 400 `invalid_client` for a wrong secret.
    public var unauthorized: Int = 0
    /// Every `requestId` query value seen, well-formed or not, in arrival order, on every path.
    public var requestIDs: [String] = []
    /// `GET /keyusage` HTTP 200 answers with a well-formed body (an empty series and a first page included).
    public var keyUsageOK: Int = 0
    /// Every access token issued, so that tests can look for them where they must never appear.
    public var tokensIssued: [String] = []

    /// When the first and the last request arrived, on the sandbox's clock (``SandboxConfiguration/elapsed``):
    /// the time its clients kept it busy.
    public var firstRequestAt: Duration?
    public var lastRequestAt: Duration?

    /// Creates counters that are all zero.
    public init() {}
}
