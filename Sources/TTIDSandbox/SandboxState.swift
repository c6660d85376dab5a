import Foundation
import Hummingbird

/// The sandbox's mutable state and its rules: one actor, so that every admission decision is atomic.
actor SandboxState {
    private struct IssuedToken {
        var appKey: String
        /// On ``SandboxConfiguration/elapsed``.
        var expires: Duration
    }

    /// Usage-plan limit of the keys whose usage `GET /keyusage` reports (the UAT Free plan).
    static let reportedDailyLimit = 10_000
    private static let maxTokens = 10_000

    private(set) var configuration: SandboxConfiguration
    private var counters = SandboxCounters()
    private var tokens: [String: IssuedToken] = [:]
    private var gate = SandboxGate()
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

    // MARK: Authorizer

    private func authorize(_ request: SandboxRequest, apiKey: String) -> SandboxAnswer? {
        guard let header = request.authorization else {
            return self.unauthorized(.unauthorized, "Unauthorized")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return self.unauthorized(.unauthorized, "Unauthorized")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard let issued = self.tokens[token] else {
            return self.unauthorized(.unauthorized, "Unauthorized")
        }
        guard self.configuration.elapsed() < issued.expires else {
            let status = self.configuration.expiredTokenStatus == 403 ? HTTPResponse.Status.forbidden : .unauthorized
            return self.unauthorized(status, "The incoming token has expired")
        }
        guard issued.appKey == apiKey else {
            return self.unauthorized(.forbidden, "Forbidden")
        }
        return nil
    }

    private func unauthorized(_ status: HTTPResponse.Status, _ message: String) -> SandboxAnswer {
        self.counters.unauthorized += 1
        return .gateway(status, message)
    }

    private static func checkRequestID(_ request: SandboxRequest) -> SandboxAnswer? {
        guard let requestID = request.query["requestId"], SandboxSyntax.isRequestID(requestID) else {
            return .ttFail(.badRequest, "Invalid requestId")
        }
        return nil
    }

    // MARK: POST /token

    private func token(_ request: SandboxRequest, credential: SandboxCredential) -> SandboxAnswer {
        if let refusal = Self.checkRequestID(request) {
            return refusal
        }
        let mediaType = request.contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
        guard mediaType?.lowercased() == "application/x-www-form-urlencoded" else {
            return .ttFail(
                .badRequest,
                "invalid_request",
                description: "Content-Type must be application/x-www-form-urlencoded"
            )
        }
        let form = SandboxSyntax.decodeForm(request.body ?? "")
        guard form["grant_type"] == "user_app" else {
            return .ttFail(.badRequest, "invalid_request", description: "grant_type must be user_app")
        }
        guard let appKeyField = form["app_key"], let colon = appKeyField.firstIndex(of: ":") else {
            return .ttFail(.badRequest, "invalid_request", description: "app_key must be <APP_KEY>:<APP_SECRET>")
        }
        let key = appKeyField[..<colon]
        let secret = appKeyField[appKeyField.index(after: colon)...]
        guard key == credential.appKey, secret == credential.secret else {
            self.counters.unauthorized += 1
            return .ttFail(.badRequest, "invalid_client", description: "Bad client credentials")
        }
        let now = self.configuration.elapsed()
        if self.tokens.count >= Self.maxTokens {
            self.tokens = self.tokens.filter { $0.value.expires > now }
        }
        let lifetime = self.configuration.tokenLifetime
        let token = Self.makeToken()
        self.tokens[token] = IssuedToken(appKey: credential.appKey, expires: now + lifetime)
        self.counters.tokensIssued.append(token)
        let seconds = max(1, Int(lifetime.components.seconds))
        return .json(
            .ok,
            .object([
                ("status", .string("Ok")),
                ("access_token", .string(token)),
                ("token_type", .string("bearer")),
                ("seconds_until_expiry", .int(seconds)),
            ])
        )
    }

    private static func makeToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<48).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    // MARK: GET /keyusage

    private func keyUsage(_ query: [String: String]) -> SandboxAnswer {
        func required(_ name: String) -> String? {
            guard let value = query[name], !value.isEmpty else { return nil }
            return value
        }
        guard let appKey = required("appKey") else { return .ttFail(.badRequest, "Missing parameter appKey") }
        guard required("userId") != nil else { return .ttFail(.badRequest, "Missing parameter userId") }
        guard let startText = required("startDate") else {
            return .ttFail(.badRequest, "Missing parameter startDate")
        }
        guard let endText = required("endDate") else { return .ttFail(.badRequest, "Missing parameter endDate") }
        guard SandboxSyntax.isGUID(appKey) else { return .ttFail(.badRequest, "Invalid appKey") }
        guard let start = SandboxDay(startText) else {
            return .ttFail(.badRequest, "Invalid startDate: expected YYYY-MM-DD")
        }
        guard let end = SandboxDay(endText) else {
            return .ttFail(.badRequest, "Invalid endDate: expected YYYY-MM-DD")
        }
        guard start <= end else { return .ttFail(.badRequest, "endDate is before startDate") }
        let maxDays = self.configuration.maxRangeDays
        guard end.ordinal - start.ordinal < maxDays else {
            return .ttFail(.badRequest, "Date range exceeds \(maxDays) days")
        }
        if self.configuration.refusedKeys.contains(appKey) {
            return .ttFail(.badRequest, "User is not authorized to read the usage of this application key")
        }
        if self.configuration.forbiddenKeys.contains(appKey) {
            return .ttFail(.badRequest, "Permission denied")
        }
        let seed = self.configuration.seed
        let expectedPosition = SandboxSyntax.position(seed: seed, appKey: appKey, start: start, end: end)
        let position = query["position"].flatMap { $0.isEmpty ? nil : $0 }
        if let position, position != expectedPosition {
            return .ttFail(.badRequest, "Invalid position")
        }

        let now = self.configuration.now()
        let last = min(end, SandboxDay(containing: now))
        func series(_ key: String) -> [SandboxJSON] {
            guard start <= last else { return [] }
            return (start.ordinal...last.ordinal).map { ordinal in
                let day = SandboxDay(ordinal: ordinal)
                let (used, remaining) =
                    self.ownQuota(appKey: key, day: day, now: now)
                    ?? Self.figures(appKey: key, day: day, configuration: self.configuration, now: now)
                return .array([.int(used), .int(remaining)])
            }
        }

        var members: [(String, SandboxJSON)] = [
            ("usagePlanId", .string("sandbox-plan")),
            ("startDate", .string(startText)),
            ("endDate", .string(endText)),
        ]
        let seriesKey: String
        let pairs: [SandboxJSON]
        let firstOfPages = self.configuration.pagedKeys.contains(appKey) && position == nil
        if firstOfPages {
            seriesKey = SandboxSyntax.decoyKey(seed: seed, appKey: appKey)
            pairs = series(seriesKey)
            members.append(("position", .string(expectedPosition)))
        } else if self.configuration.emptyKeys.contains(appKey) {
            seriesKey = appKey
            pairs = []
        } else {
            seriesKey = appKey
            pairs = Array(series(appKey).prefix(max(0, self.configuration.shortKeys[appKey] ?? Int.max)))
        }
        let shape = self.configuration.shape
        members.append((shape == .items ? "items" : "values", .object([(seriesKey, .array(pairs))])))
        self.counters.keyUsageOK += 1
        guard shape == .envelope else { return .json(.ok, .object(members)) }
        return .json(
            .ok,
            .object([
                ("status", .string("Ok")),
                ("lastPage", .string(firstOfPages ? "false" : "true")),
                ("usage", .object(members)),
            ])
        )
    }

    /// Today's figures of a key the sandbox holds credentials for (the caller's own key): the quota it holds.
    private func ownQuota(appKey: String, day: SandboxDay, now: Date) -> (Int, Int)? {
        guard let quota = self.configuration.dailyQuota, day == SandboxDay(containing: now),
            self.configuration.credentials.contains(where: { $0.appKey == appKey })
        else { return nil }
        let used = self.quotaUsed(appKey: appKey)
        return (used, max(0, quota - used))
    }

    /// A day's figures; today's is the share of the whole day's usage that has elapsed, rounded down.
    private static func figures(
        appKey: String, day: SandboxDay, configuration: SandboxConfiguration, now: Date
    ) -> (Int, Int) {
        let whole = SandboxUsageModel.usage(appKey: appKey, day: day.text, configuration: configuration)
        let limit = whole.used + whole.remaining
        guard day == SandboxDay(containing: now) else { return whole }
        let used = whole.used * day.secondsElapsed(at: now) / 86_400
        return (used, limit - used)
    }
}
