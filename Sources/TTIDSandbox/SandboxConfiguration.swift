import Foundation

/// How a ``TTIDSandboxServer`` behaves: its credentials, limits, data and injected faults.
///
/// Every field has a default that mirrors TT's UAT Free plan, so `SandboxConfiguration()` is a well-behaved
/// service. A running server takes changes through ``TTIDSandboxServer/update(_:)``.
public struct SandboxConfiguration: Sendable {
    /// The credential of the default configuration: a GUID application key and the secret `sandbox-secret`.
    public static let demoCredential = SandboxCredential(
        appKey: "00000000-0000-0000-0000-0000000000aa",
        secret: "sandbox-secret"
    )

    /// The application keys (`x-api-key`) and secrets the service knows.
    public var credentials: [SandboxCredential] = [Self.demoCredential]
    /// How long an access token is valid after `POST /token` answered it, measured on a monotonic clock.
    public var tokenLifetime: Duration = .seconds(3600)
    /// The HTTP status of the answer to an expired token, `{"message":"The incoming token has expired"}`: 401 by
    /// default; 403 is what a gateway authorizer that denies gives, another form a client must take.
    public var expiredTokenStatus: Int = 401
    /// Token-bucket refill, in requests per second per application key; `nil` means no rate limit.
    public var rate: Double? = 3
    /// The token bucket's size (the largest burst), per application key.
    public var burst: Int = 3
    /// A third party's calls per second on every application key's rate limit, as when other tools use the
    /// same key; `nil` or 0 means the caller has the limit to itself.
    ///
    /// The third party is served first: it takes this much of each key's refill (``rate``), and the caller
    /// gets what is left, `rate - externalLoad` calls a second once the burst is spent (none when the third
    /// party takes it all). Its calls do not count against ``dailyQuota`` and do not appear in the counters.
    ///
    /// ```swift
    /// configuration.rate = 10
    /// configuration.externalLoad = 5   // another tool spends half of the key's limit
    /// ```
    public var externalLoad: Double? = nil
    /// Requests per application key per quota day (by ``now``); `nil` means no quota.
    ///
    /// `GET /keyusage` of a key the sandbox holds credentials for (the caller's own key) reports this quota
    /// for today: the requests counted so far as used, the rest as remaining.
    public var dailyQuota: Int? = 10_000
    /// A moment at which the daily quota resets (by ``now``); it also resets every 24 hours before and after
    /// it. `nil`, the default, is TT's: at 00:00 UTC.
    ///
    /// A test that waits for the quota puts the reset a few seconds away; "today" for `GET /keyusage` stays
    /// the UTC day of ``now``:
    ///
    /// ```swift
    /// configuration.dailyQuota = 20
    /// configuration.quotaResetAt = Date().addingTimeInterval(3)
    /// ```
    public var quotaResetAt: Date? = nil
    /// Seed of the usage numbers (``SandboxUsageModel``), the paging tokens and the fault draws.
    public var seed: UInt64 = 42
    /// The JSON layout of successful `GET /keyusage` answers.
    public var shape: KeyUsageShape = .values
    /// The longest `startDate`…`endDate` range, in days, that `GET /keyusage` accepts.
    public var maxRangeDays: Int = 90
    /// Keys (`appKey` query values, matched exactly) whose usage the caller is not authorized to read.
    ///
    /// `GET /keyusage` answers HTTP 400 `StatusFail` with a "not authorized" message.
    public var refusedKeys: Set<String> = []
    /// Keys whose usage is refused with "Permission denied" (HTTP 400 `StatusFail`), a second refusal wording.
    public var forbiddenKeys: Set<String> = []
    /// Keys with no usage-plan data: their series is an empty list.
    public var emptyKeys: Set<String> = []
    /// Keys whose series holds only the first N days of the range asked (a short chunk).
    public var shortKeys: [String: Int] = [:]
    /// Keys whose answer pages: the first page carries another key's series and a `position`, the series
    /// asked for comes only with the query `position=<that value>`.
    public var pagedKeys: Set<String> = []
    /// Keys that play a kind of key of their own (``SandboxKeyProfile``); others follow the default model.
    public var keyProfiles: [String: SandboxKeyProfile] = [:]
    /// Daily limits (used + remaining) of keys not on the Free plan's 10,000.
    public var dailyLimits: [String: Int] = [:]
    /// Restated days: app key → `YYYY-MM-DD` → the `used` the service now reports for that day instead of the
    /// model's (late usage arriving, a correction), capped at the key's limit. What `ttusage diff` must find.
    public var restatedDays: [String: [String: Int]] = [:]
    /// Probability (0…1) that a request to a known endpoint gets a fault instead of its answer.
    public var faultRate: Double = 0
    /// The faults drawn, uniformly, when one hits.
    public var faults: [SandboxFault] = SandboxFault.allCases
    /// Delay added before every answer.
    public var latency: Duration = .zero
    /// The wall clock that decides "today" for `GET /keyusage` and the quota day.
    public var now: @Sendable () -> Date = { Date() }
    /// The monotonic clock that ends tokens and refills the token buckets: time since a fixed origin. A test
    /// hands in a clock it advances (`TestClock`) instead of sleeping:
    ///
    /// ```swift
    /// let clock = TestClock()
    /// let origin = clock.now
    /// configuration.elapsed = { origin.duration(to: clock.now) }
    /// ```
    public var elapsed: @Sendable () -> Duration = SandboxConfiguration.continuousElapsed()

    /// Time since this call on the process's monotonic clock.
    public static func continuousElapsed() -> @Sendable () -> Duration {
        let origin = ContinuousClock.now
        return { ContinuousClock.now - origin }
    }

    /// Creates a configuration with every default.
    public init() {}
}
