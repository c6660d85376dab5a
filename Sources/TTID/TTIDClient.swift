import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The ttid client: tokens, keyusage and healthcheckstatus over one HTTP client.
///
/// Every request gets a new request ID, waits for its slot at the pacer (token calls included), has a deadline
/// and a cap on its body; its answer goes back to the pacer, which slows down on a throttle. The secret and the
/// tokens never reach a log line or an error.
public final class TTIDClient: Sendable {
    /// One HTTP exchange, reported to an observer (for counters and progress); holds no secret.
    public struct Exchange: Sendable {
        public var endpoint: String
        public var requestID: String
        /// `nil` when no answer came.
        public var status: Int?
        /// A 429 that says the daily quota is spent (not a throttle).
        public var quotaSpent = false
    }

    public let configuration: TTIDClientConfiguration
    public let tokens: TokenProvider
    let http: HTTPClient
    let credentials: TTCredentials
    /// Without one given, a pacer that does not pace until the service first throttles.
    public let pacer: RequestPacer
    let logger: Logger
    let observer: (@Sendable (Exchange) -> Void)?
    /// Checked after each pacer slot, just before a request goes out.
    public let gate: CallGate
    /// Whether any answer has come from the service (a failure to connect before that is ``TTIDError/notReached``).
    private let answered = Atomic<Bool>(false)

    /// Whether the service has answered any request of this client.
    public var hasReachedService: Bool { answered.load(ordering: .relaxed) }

    public init(
        http: HTTPClient, configuration: TTIDClientConfiguration, credentials: TTCredentials,
        pacer: RequestPacer? = nil, gate: CallGate = CallGate(), logger: Logger = Logger(label: "ttid"),
        observer: (@Sendable (Exchange) -> Void)? = nil, clock: PacingClock = .continuous
    ) {
        self.gate = gate
        self.http = http
        self.configuration = configuration
        self.credentials = credentials
        self.pacer = pacer ?? RequestPacer(ceiling: nil, clock: clock)
        self.logger = logger
        self.observer = observer
        let box = WeakClientBox()
        self.tokens = TokenProvider(renewalFraction: configuration.tokenRenewalFraction, clock: clock) {
            guard let client = box.client else { throw CancellationError() }
            return try await client.requestToken()
        }
        box.client = self
    }

    /// Runs `body` with a client on a new HTTP client that is shut down on return and on throw.
    public static func withClient<T: Sendable>(
        configuration: TTIDClientConfiguration, credentials: TTCredentials, pacer: RequestPacer? = nil,
        gate: CallGate = CallGate(), logger: Logger = Logger(label: "ttid"),
        observer: (@Sendable (Exchange) -> Void)? = nil, clock: PacingClock = .continuous,
        _ body: (TTIDClient) async throws -> T
    ) async throws -> T {
        let http = makeHTTPClient(configuration: configuration)
        let client = TTIDClient(
            http: http, configuration: configuration, credentials: credentials, pacer: pacer, gate: gate,
            logger: logger, observer: observer, clock: clock)
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return result
    }

    /// An HTTP client set up for ttid: 303 redirects followed, connect and read timeouts, a pool of the right size.
    ///
    /// The connect timeout is 5 s, or the request's deadline when that is shorter: AsyncHTTPClient tries a
    /// refused connection again until the connect timeout, a request must not outlive its deadline, and a service
    /// that accepts no connection in 5 s is down rather than slow.
    public static func makeHTTPClient(configuration: TTIDClientConfiguration) -> HTTPClient {
        let connect = min(configuration.requestTimeout, .seconds(5))
        var http = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: TimeAmount(connect), read: .seconds(60)))
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, configuration.maxConnections)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    // MARK: - Endpoints

    /// The daily series of `appKey` over `startDate`…`endDate` (`YYYY-MM-DD`, inclusive UTC days).
    ///
    /// A `position` in an answer that does not yet hold the key's series is followed; one that comes with the
    /// series is returned in `unfollowedPosition` so the caller can report it.
    public func keyUsage(appKey: String, userId: String, startDate: String, endDate: String) async throws
        -> KeyUsageSeries
    {
        var position: String?
        var seen: Set<String> = []
        var pages = 0
        while true {
            pages += 1
            var query = [("appKey", appKey), ("userId", userId), ("startDate", startDate), ("endDate", endDate)]
            if let position { query.append(("position", position)) }
            let answer = try await authorized("keyusage", query: query)
            let page: KeyUsageParser.Page
            do {
                page = try KeyUsageParser.parse(answer.body, appKey: appKey)
            } catch {
                throw failure(error, answer: answer, endpoint: "keyusage")
            }
            if let series = page.series {
                return KeyUsageSeries(
                    days: series, pages: pages, unfollowedPosition: page.position, statedStart: page.statedStart,
                    statedEnd: page.statedEnd)
            }
            guard let next = page.position else {
                var empty = KeyUsageSeries(days: [], pages: pages)
                empty.otherKeysOnly = page.otherSeries
                return empty
            }
            guard !seen.contains(next), pages < configuration.maxPages else {
                throw TTIDError(
                    kind: .refused, endpoint: "keyusage", status: answer.status, bodyShape: .other,
                    message: "paging with position did not reach key \(appKey) after \(pages) pages",
                    requestID: answer.requestID)
            }
            seen.insert(next)
            position = next
        }
    }

    /// The system status that status.trade.tt shows.
    public func healthCheck() async throws -> HealthStatus {
        let answer = try await authorized("healthcheckstatus", query: [])
        guard let json = JSONValue.parse(answer.body), let object = json.object else {
            throw TTIDError(
                kind: .transient, endpoint: "healthcheckstatus", status: answer.status, bodyShape: .other,
                message: "the body is not a JSON object", requestID: answer.requestID)
        }
        if let status = object["status"]?.string, !["ok", "success"].contains(status.lowercased()) {
            throw TTIDError(
                kind: .failStatus, endpoint: "healthcheckstatus", status: answer.status, bodyShape: .ttStatus,
                message: redact(object["status_message"]?.string ?? ""),
                ttStatus: ServiceText.clean(status, limit: 40),
                requestID: answer.requestID)
        }
        return HealthStatus(object)
    }

    // MARK: - Token

    func requestToken() async throws -> TokenGrant {
        let secretPair = credentials.keyAndSecret.addingPercentEncoding(withAllowedCharacters: Self.formValue)
        let form = "grant_type=user_app&app_key=\(secretPair ?? "")"
        let answer = try await send(
            "token", method: .POST, query: [], bearer: false, form: form)
        guard answer.status == 200 else {
            var error =
                answer.failure
                ?? ResponseClassifier.classify(
                    endpoint: "token", status: answer.status, body: answer.body, retryAfter: answer.retryAfter,
                    requestID: answer.requestID)
            error.message = redact(error.message)
            throw error
        }
        guard let json = JSONValue.parse(answer.body), let object = json.object else {
            throw TTIDError(
                kind: .transient, endpoint: "token", status: 200, bodyShape: .other,
                message: "the token answer is not a JSON object", requestID: answer.requestID)
        }
        if let status = object["status"]?.string, !["ok", "success"].contains(status.lowercased()) {
            throw TTIDError(
                kind: .credentialsRefused, endpoint: "token", status: 200, bodyShape: .ttStatus,
                message: redact(object["status_message"]?.string ?? "token refused"),
                ttStatus: ServiceText.clean(status, limit: 40),
                requestID: answer.requestID)
        }
        guard let token = object["access_token"]?.string, !token.isEmpty else {
            throw TTIDError(
                kind: .transient, endpoint: "token", status: 200, bodyShape: .other,
                message: "the token answer has no access_token", requestID: answer.requestID)
        }
        let seconds = (object["seconds_until_expiry"] ?? object["expires_in"])?.wholeNumber
        logger.debug("token granted", metadata: ["seconds_until_expiry": "\(seconds.map(String.init) ?? "unknown")"])
        return TokenGrant(accessToken: token, lifetime: seconds.flatMap { $0 > 0 ? .seconds($0) : nil })
    }

    // MARK: - HTTP

    struct Answer {
        var status: Int
        var body: Data
        var requestID: String
        var retryAfter: Duration?
        /// A status other than 2xx, classified once (its message not yet redacted); on a throttle after which the
        /// pacer gives up, with `stalledFor` set.
        var failure: TTIDError?
        /// The access token the request carried (to drop it when refused, and to keep it out of errors).
        var bearer: String?
    }

    /// The most repeats of a call whose token is refused as expired, each after a renewal.
    static let expiredRepeats = 3

    /// A bearer call; an answer that says the token is no longer good drops the token, renews it and repeats the
    /// call. Any refusal is repeated once; one that says the token expired is repeated up to
    /// ``expiredRepeats`` times in all, since a fresh short-lived token can run out on a slow way to the service.
    ///
    /// The token is taken again once the pacer grants the call its slot: a throttled run can wait longer for a
    /// slot than a short-lived token lives, and a token read before the wait would go out expired.
    func authorized(_ endpoint: String, query: [(String, String)]) async throws -> Answer {
        // Renewing ahead of the slot keeps the token call out of the slot's way in the common case.
        _ = try await tokens.token()
        var answer = try await send(endpoint, method: .GET, query: query, bearer: true, form: nil)
        var repeats = 0
        while let failure = answer.failure, ResponseClassifier.refusesToken(failure),
            repeats == 0 || (repeats < Self.expiredRepeats && failure.isExpiredToken)
        {
            repeats += 1
            logger.debug("token refused, renewing", metadata: ["requestId": "\(answer.requestID)"])
            if let used = answer.bearer { await tokens.invalidate(used) }
            answer = try await send(endpoint, method: .GET, query: query, bearer: true, form: nil)
        }
        if var error = answer.failure {
            // A token refused again after its renewal: the service refuses the credentials, whatever the status.
            if ResponseClassifier.refusesToken(error) { error.kind = .credentialsRefused }
            error.message = redact(error.message, token: answer.bearer)
            throw error
        }
        return answer
    }

    /// One request at its pacer slot. With `bearer`, the access token is taken only once the slot is granted.
    func send(
        _ endpoint: String, method: HTTPMethod, query: [(String, String)], bearer needsToken: Bool, form: String?
    ) async throws -> Answer {
        try gate.check()
        var departure = try await pacer.waitForSlot()
        try gate.check()
        var bearer: String?
        if needsToken {
            var fetched = await tokens.fetches
            bearer = try await tokens.token()
            // A token renewed after the slot spent that slot on `/token`: this call takes the next one, and
            // takes the token again after it (the wait for a slot of a throttled run can outlive a token).
            var renewals = 0
            while await tokens.fetches != fetched, renewals < 3 {
                renewals += 1
                departure = try await pacer.waitForSlot()
                try gate.check()
                fetched = await tokens.fetches
                bearer = try await tokens.token()
            }
        }
        let requestID = configuration.requestIDs.make()
        var request = HTTPClientRequest(
            url: configuration.endpoint.url(endpoint, query: query + [("requestId", requestID)]))
        request.method = method
        request.headers.add(name: "x-api-key", value: credentials.appKey)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "ttusage")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let form {
            let bytes = ByteBuffer(string: form)
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.headers.add(name: "Content-Length", value: String(bytes.readableBytes))
            request.body = .bytes(bytes)
        }
        let timeout = TimeAmount.nanoseconds(configuration.requestTimeout.nanoseconds)
        do {
            let response = try await http.execute(request, timeout: timeout, logger: nil)
            let buffer = try await response.body.collect(upTo: configuration.maxBodyBytes)
            let status = Int(response.status.code)
            answered.store(true, ordering: .relaxed)
            logger.debug(
                "ttid answer",
                metadata: ["endpoint": "\(endpoint)", "status": "\(status)", "requestId": "\(requestID)"])
            var answer = Answer(
                status: status, body: Data(buffer.readableBytesView), requestID: requestID,
                retryAfter: ResponseClassifier.retryAfter(response.headers.first(name: "Retry-After")))
            answer.bearer = bearer
            if !(200..<300).contains(status) {
                answer.failure = ResponseClassifier.classify(
                    endpoint: endpoint, status: status, body: answer.body, retryAfter: answer.retryAfter,
                    requestID: requestID)
            }
            var exchange = Exchange(endpoint: endpoint, requestID: requestID, status: status)
            exchange.quotaSpent = answer.failure?.kind == .quotaExceeded
            observer?(exchange)
            let stalled = pace(answer.failure, endpoint: endpoint, departure: departure)
            answer.failure?.stalledFor = stalled
            return answer
        } catch is NIOTooManyBytesError {
            pacer.record(.other, departure: departure)
            observer?(Exchange(endpoint: endpoint, requestID: requestID, status: nil))
            throw TTIDError(
                kind: .refused, endpoint: endpoint, status: nil, bodyShape: .other,
                message: "the answer is larger than \(configuration.maxBodyBytes) bytes", requestID: requestID)
        } catch {
            pacer.record(.other, departure: departure)
            observer?(Exchange(endpoint: endpoint, requestID: requestID, status: nil))
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            if let error = error as? HTTPClientError, error == .cancelled { throw CancellationError() }
            logger.debug(
                "ttid call failed",
                metadata: [
                    "endpoint": "\(endpoint)", "requestId": "\(requestID)",
                    "error": "\(String(describing: error))",
                ])
            var failure = TTIDError(
                kind: .transient, endpoint: endpoint, status: nil, bodyShape: .none,
                message: redact(Self.describe(error)), requestID: requestID)
            failure.notReached = !hasReachedService && Self.isConnectFailure(error)
            throw failure
        }
    }

    // MARK: - Helpers

    /// Tells the pacer what an answer (`failure`, or a 2xx when `nil`) says about the rate; after a throttle,
    /// returns the time no call has succeeded when that is past the pacer's give-up time.
    func pace(_ failure: TTIDError?, endpoint: String, departure: Duration) -> Duration? {
        guard let failure else {
            pacer.record(.success, departure: departure)
            return nil
        }
        guard failure.isThrottle else {
            pacer.record(.other, departure: departure)
            return nil
        }
        let since = pacer.record(.throttled, departure: departure)
        logger.debug("throttled", metadata: ["endpoint": "\(endpoint)", "rate": "\(pacer.reading.rate ?? 0)"])
        return since >= pacer.giveUpAfter ? since : nil
    }

    /// A keyusage body that could not be read: a malformed one is worth another try, a `Fail` status is not.
    func failure(_ error: KeyUsageParser.Failure, answer: Answer, endpoint: String) -> TTIDError {
        switch error {
        case .malformed(let reason):
            return TTIDError(
                kind: .transient, endpoint: endpoint, status: answer.status, bodyShape: .other,
                message: "malformed body: \(reason)", requestID: answer.requestID)
        case .failStatus(let status, let message):
            return TTIDError(
                kind: .failStatus, endpoint: endpoint, status: answer.status, bodyShape: .ttStatus,
                message: redact(message), ttStatus: ServiceText.clean(status, limit: 40),
                requestID: answer.requestID)
        }
    }

    /// Text that came from the other side made fit for an error: the secret and `token` removed, then control
    /// characters replaced and the length bounded (`ServiceText.clean`).
    func redact(_ text: String, token: String? = nil) -> String {
        var text = text
        let secret = credentials.secret
        if secret.count >= 4 { text = text.replacingOccurrences(of: secret, with: "***") }
        if let token, token.count >= 4 { text = text.replacingOccurrences(of: token, with: "***") }
        return ServiceText.clean(text)
    }

    /// `application/x-www-form-urlencoded` values keep RFC 3986's unreserved characters and `:` (TT's own
    /// examples send `app_key=<key>:<secret>` so).
    static let formValue = TTIDEndpoint.unreserved.union(CharacterSet(charactersIn: ":"))
}

/// Lets the token provider's fetch reach the client without a reference cycle.
private final class WeakClientBox: Sendable {
    private struct Reference: Sendable {
        weak var client: TTIDClient?
    }

    // Written once in the client's init, before the provider can run.
    private let reference = Mutex(Reference())

    var client: TTIDClient? {
        get { reference.withLock { $0.client } }
        set { reference.withLock { $0.client = newValue } }
    }
}

extension TTCredentials {
    /// The secret part of the `key:secret` pair.
    var secret: String {
        guard let colon = keyAndSecret.firstIndex(of: ":") else { return keyAndSecret }
        return String(keyAndSecret[keyAndSecret.index(after: colon)...])
    }
}
