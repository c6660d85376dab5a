import Foundation
import Hummingbird

/// The sandbox's mutable state and its rules: one actor, so that every admission decision is atomic.
actor SandboxState {
    struct IssuedToken {
        var appKey: String
        /// On ``SandboxConfiguration/elapsed``.
        var expires: Duration
    }

    /// Usage-plan limit of the keys whose usage `GET /keyusage` reports (the UAT Free plan).
    static let reportedDailyLimit = 10_000
    static let maxTokens = 10_000

    private(set) var configuration: SandboxConfiguration
    var counters = SandboxCounters()
    var tokens: [String: IssuedToken] = [:]
    /// Bearer calls still to be refused as expired on arrival (``TTIDSandboxServer/expireOnArrival(_:)``).
    var expiringArrivals = 0
    var gate = SandboxGate()
    private var random: SandboxRandom
    private var randomSeed: UInt64

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        self.randomSeed = configuration.seed
        self.random = SandboxRandom(seed: configuration.seed ^ 0x5eed_fa17_5eed_fa17)
    }

    // MARK: Control

    func snapshot() -> SandboxCounters {
        self.counters
    }

    func resetCounters() {
        self.counters = SandboxCounters()
    }

    /// Ends the life of every token issued so far, as a clock skew or a revocation on TT's side would.
    func expireTokens() {
        let now = self.configuration.elapsed()
        for token in self.tokens.keys { self.tokens[token]?.expires = now }
    }

    /// Makes the next `count` bearer calls find their token expired, whatever its age.
    func expireOnArrival(_ count: Int) {
        self.expiringArrivals = max(count, 0)
    }

    func update(_ change: @Sendable (inout SandboxConfiguration) -> Void) {
        change(&self.configuration)
        if self.configuration.seed != self.randomSeed {
            self.randomSeed = self.configuration.seed
            self.random = SandboxRandom(seed: self.configuration.seed ^ 0x5eed_fa17_5eed_fa17)
        }
    }

    // MARK: Requests

    /// Decides the answer to a request and the latency to add before it.
    func answer(_ request: SandboxRequest) -> (SandboxAnswer, Duration) {
        return (self.decide(request), self.configuration.latency)
    }

    private func decide(_ request: SandboxRequest) -> SandboxAnswer {
        let now = self.configuration.elapsed()
        self.counters.firstRequestAt = self.counters.firstRequestAt ?? now
        self.counters.lastRequestAt = now
        if let requestID = request.query["requestId"] {
            self.counters.requestIDs.append(requestID)
        }
        guard let route = SandboxRoute(path: request.path), request.method == route.method else {
            self.counters.otherRequests += 1
            return .gateway(.forbidden, "Missing Authentication Token")
        }
        switch route.endpoint {
        case .token: self.counters.tokenRequests += 1
        case .keyUsage: self.counters.keyUsageRequests += 1
        case .health: self.counters.healthRequests += 1
        }
        if let fault = self.drawFault() {
            self.counters.faultsInjected += 1
            return self.answer(for: fault, endpoint: route.endpoint)
        }
        guard let apiKey = request.apiKey,
            let credential = self.configuration.credentials.first(where: { $0.appKey == apiKey })
        else {
            self.counters.unauthorized += 1
            return .gateway(.forbidden, "Forbidden")
        }
        if let refusal = self.admit(apiKey: apiKey) {
            return refusal
        }
        switch route.endpoint {
        case .token:
            return self.token(request, credential: credential)
        case .keyUsage:
            if let refusal = self.authorize(request, apiKey: apiKey) ?? Self.checkRequestID(request) {
                return refusal
            }
            return self.keyUsage(request.query)
        case .health:
            if let refusal = self.authorize(request, apiKey: apiKey) ?? Self.checkRequestID(request) {
                return refusal
            }
            return .json(.ok, SandboxHealthEndpoint.body(environment: route.environment, now: self.configuration.now()))
        }
    }

    // MARK: Faults

    private func drawFault() -> SandboxFault? {
        let faults = self.configuration.faults
        guard self.configuration.faultRate > 0, !faults.isEmpty else { return nil }
        guard SandboxRandom.unit(self.random.next()) < self.configuration.faultRate else { return nil }
        return faults[Int(self.random.next() % UInt64(faults.count))]
    }

    private func answer(for fault: SandboxFault, endpoint: SandboxRoute.Endpoint) -> SandboxAnswer {
        switch fault {
        case .gateway5xx:
            let status: HTTPResponse.Status = self.random.next() & 1 == 0 ? .badGateway : .serviceUnavailable
            return .gateway(status, "Internal server error", retryAfterZero: self.random.next() & 1 == 0)
        case .tt5xx:
            return .ttFail(.internalServerError, "Internal error")
        case .dropConnection:
            return .dropConnection
        case .malformedJSON:
            let body: String
            switch endpoint {
            case .token: body = #"{"status":"Ok","access_token":""#
            case .keyUsage: body = #"{"usagePlanId":"sandbox-plan","values":{""#
            case .health: body = #"{"status":"Ok","environment":""#
            }
            return .respond(status: .ok, body: body, retryAfterZero: false)
        case .throttle429:
            self.counters.throttled += 1
            return .gateway(.tooManyRequests, "Too Many Requests", retryAfterZero: true)
        }
    }

    // MARK: Gateway: quota and rate

    /// Counts the request against the key's daily quota and token bucket (``SandboxGate``); an answer when
    /// either refuses it.
    private func admit(apiKey: String) -> SandboxAnswer? {
        let refusal = self.gate.admit(
            apiKey: apiKey, configuration: self.configuration, date: self.configuration.now(),
            elapsed: self.configuration.elapsed())
        switch refusal {
        case nil:
            return nil
        case .quota:
            self.counters.quotaRefused += 1
            return .gateway(.tooManyRequests, "Limit Exceeded")
        case .rate:
            self.counters.throttled += 1
            return .gateway(.tooManyRequests, "Too Many Requests")
        }
    }

    /// Requests counted against `appKey`'s daily quota in the current quota period.
    func quotaUsed(appKey: String) -> Int {
        self.gate.quotaUsed(apiKey: appKey, configuration: self.configuration, date: self.configuration.now())
    }

}
