import Clocks
import Foundation
import TTIDSandbox
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The sandbox's own behaviour over a real socket, with a plain HTTP client (no TTID code involved).
@Suite("SandboxSmoke")
struct SandboxSmokeTests {
    static let key = SandboxConfiguration.demoCredential.appKey
    static let secret = SandboxConfiguration.demoCredential.secret
    static let other = SandboxCredential(appKey: "11111111-2222-3333-4444-555555555555", secret: "other-secret")
    static let reported = "0a1b2c3d-0000-4000-8000-00000000abcd"
    /// 2026-03-10 12:00:00 UTC: half of the day has elapsed.
    static let noon = Date(timeIntervalSince1970: 1_773_144_000)

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data

        var text: String { String(decoding: self.body, as: UTF8.self) }

        func json() throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: self.body) as? [String: Any])
        }

        func header(_ name: String) -> String? {
            self.headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// A client that keeps no connection between calls, so that a dropped connection is never retried.
    final class Client: Sendable {
        let base: String
        let session: URLSession

        init(_ server: TTIDSandboxServer, environment: String = "ext_uat_cert") {
            self.base = server.baseURL + "/ttid/" + environment
            let configuration = URLSessionConfiguration.ephemeral
            configuration.httpShouldUsePipelining = false
            self.session = URLSession(configuration: configuration)
        }

        static func requestID() -> String {
            "sbtest-acme--" + UUID().uuidString.lowercased()
        }

        func send(
            _ path: String,
            method: String = "GET",
            query: [(String, String)] = [],
            requestID: String? = Client.requestID(),
            apiKey: String? = SandboxSmokeTests.key,
            bearer: String? = nil,
            headers: [String: String] = [:],
            body: String? = nil
        ) async throws -> Answer {
            var components = try #require(URLComponents(string: self.base + path))
            var items = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            if let requestID { items.append(URLQueryItem(name: "requestId", value: requestID)) }
            components.percentEncodedQueryItems = items.map {
                URLQueryItem(
                    name: $0.name,
                    value: $0.value?.addingPercentEncoding(
                        withAllowedCharacters: .alphanumerics.union(["-", "_", "."]))
                )
            }
            var request = URLRequest(url: try #require(components.url))
            request.httpMethod = method
            if let apiKey { request.setValue(apiKey, forHTTPHeaderField: "x-api-key") }
            if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            if let body { request.httpBody = Data(body.utf8) }
            let (data, response) = try await self.session.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            var fields: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                fields["\(name)"] = "\(value)"
            }
            return Answer(status: http.statusCode, headers: fields, body: data)
        }

        func token(appKey: String = SandboxSmokeTests.key, secret: String = SandboxSmokeTests.secret) async throws
            -> Answer
        {
            let pair = "\(appKey):\(secret)".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return try await self.send(
                "/token", method: "POST",
                apiKey: appKey,
                headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: "grant_type=user_app&app_key=\(pair)"
            )
        }

        func bearer(appKey: String = SandboxSmokeTests.key, secret: String = SandboxSmokeTests.secret) async throws
            -> String
        {
            let answer = try await self.token(appKey: appKey, secret: secret)
            #expect(answer.status == 200, "\(answer.text)")
            return try #require(try answer.json()["access_token"] as? String)
        }

        func keyUsage(
            _ appKey: String = SandboxSmokeTests.reported,
            from: String,
            to: String,
            bearer: String,
            extra: [(String, String)] = []
        ) async throws -> Answer {
            try await self.send(
                "/keyusage",
                query: [("appKey", appKey), ("userId", "42"), ("startDate", from), ("endDate", to)] + extra,
                bearer: bearer
            )
        }
    }

    static func configuration(_ change: (inout SandboxConfiguration) -> Void = { _ in }) -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.credentials = [SandboxConfiguration.demoCredential, Self.other]
        configuration.rate = nil
        configuration.now = { SandboxSmokeTests.noon }
        change(&configuration)
        return configuration
    }

    static func pairs(_ value: Any?) -> [[Int]] {
        (value as? [[Any]])?.map { $0.compactMap { $0 as? Int } } ?? []
    }

    static func expected(_ appKey: String, _ days: [String]) -> [[Int]] {
        days.map {
            let usage = SandboxUsageModel.usage(appKey: appKey, day: $0, seed: 42)
            return [usage.used, usage.remaining]
        }
    }

    // MARK: Token and usage

    @Test func tokenThenKeyUsageInAWSShape() async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration()) { server in
            let client = Client(server)
            let token = try await client.token()
            #expect(token.status == 200)
            #expect(token.header("Content-Type") == "application/json")
            let json = try token.json()
            #expect(json["status"] as? String == "Ok")
            #expect(json["token_type"] as? String == "bearer")
            #expect(json["seconds_until_expiry"] as? Int == 3600)
            let bearer = try #require(json["access_token"] as? String)
            #expect(bearer.count == 48 && bearer.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })

            let answer = try await client.keyUsage(from: "2026-02-27", to: "2026-03-02", bearer: bearer)
            #expect(answer.status == 200, "\(answer.text)")
            let usage = try answer.json()
            #expect(usage["usagePlanId"] as? String == "sandbox-plan")
            #expect(usage["startDate"] as? String == "2026-02-27")
            #expect(usage["position"] == nil)
            let values = try #require(usage["values"] as? [String: Any])
            let days = ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]
            #expect(Self.pairs(values[Self.reported]) == Self.expected(Self.reported, days))
            for pair in Self.pairs(values[Self.reported]) {
                #expect(pair[0] + pair[1] == 10_000)
            }
            let counters = await server.counters()
            #expect(counters.tokenRequests == 1)
            #expect(counters.keyUsageRequests == 1)
            #expect(counters.keyUsageOK == 1)
            #expect(counters.requestIDs.count == 2)
        }
    }

    @Test func chunksAgreeAndTodayIsProvisionalAndTheFutureIsCut() async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration()) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            let whole = try await client.keyUsage(from: "2026-03-01", to: "2026-03-20", bearer: bearer)
            let series = Self.pairs(try #require(try whole.json()["values"] as? [String: Any])[Self.reported])
            #expect(series.count == 10)
            let days = (1...9).map { String(format: "2026-03-%02d", $0) }
            #expect(Array(series.prefix(9)) == Self.expected(Self.reported, days))
            let today = SandboxUsageModel.usage(appKey: Self.reported, day: "2026-03-10", seed: 42)
            #expect(series[9] == [today.used / 2, 10_000 - today.used / 2])
            let chunk = try await client.keyUsage(from: "2026-03-04", to: "2026-03-05", bearer: bearer)
            let part = Self.pairs(try #require(try chunk.json()["values"] as? [String: Any])[Self.reported])
            #expect(part == Array(series[3...4]))
            let future = try await client.keyUsage(from: "2026-03-11", to: "2026-03-12", bearer: bearer)
            #expect(Self.pairs(try #require(try future.json()["values"] as? [String: Any])[Self.reported]) == [])
        }
    }

    @Test(arguments: [KeyUsageShape.items, .envelope])
    func otherShapes(shape: KeyUsageShape) async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration { $0.shape = shape }) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            let answer = try await client.keyUsage(from: "2026-03-01", to: "2026-03-02", bearer: bearer)
            #expect(answer.status == 200)
            var json = try answer.json()
            if shape == .envelope {
                #expect(json["status"] as? String == "Ok")
                #expect(json["lastPage"] as? String == "true")
                json = try #require(json["usage"] as? [String: Any])
            }
            let map = try #require(json[shape == .items ? "items" : "values"] as? [String: Any])
            #expect(Self.pairs(map[Self.reported]) == Self.expected(Self.reported, ["2026-03-01", "2026-03-02"]))
        }
    }

    @Test func pagingHidesTheSeriesBehindAPosition() async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration { $0.pagedKeys = [Self.reported] }) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            let first = try await client.keyUsage(from: "2026-03-01", to: "2026-03-03", bearer: bearer)
            let page = try first.json()
            let position = try #require(page["position"] as? String)
            let values = try #require(page["values"] as? [String: Any])
            #expect(values[Self.reported] == nil)
            #expect(values.count == 1)
            let second = try await client.keyUsage(
                from: "2026-03-01", to: "2026-03-03", bearer: bearer, extra: [("position", position)])
            let last = try second.json()
            #expect(last["position"] == nil)
            let series = Self.pairs(try #require(last["values"] as? [String: Any])[Self.reported])
            #expect(series == Self.expected(Self.reported, ["2026-03-01", "2026-03-02", "2026-03-03"]))
            let bogus = try await client.keyUsage(
                from: "2026-03-01", to: "2026-03-03", bearer: bearer, extra: [("position", "nope")])
            #expect(bogus.status == 400)
        }
    }

    @Test func refusedEmptyAndShortKeys() async throws {
        let refused = "aaaaaaaa-0000-0000-0000-000000000001"
        let forbidden = "aaaaaaaa-0000-0000-0000-000000000002"
        let empty = "aaaaaaaa-0000-0000-0000-000000000003"
        let short = "aaaaaaaa-0000-0000-0000-000000000004"
        let configuration = Self.configuration {
            $0.refusedKeys = [refused]
            $0.forbiddenKeys = [forbidden]
            $0.emptyKeys = [empty]
            $0.shortKeys = [short: 2]
        }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            for key in [refused, forbidden] {
                let answer = try await client.keyUsage(key, from: "2026-03-01", to: "2026-03-05", bearer: bearer)
                #expect(answer.status == 400)
                let json = try answer.json()
                #expect(json["status"] as? String == "StatusFail")
                #expect(json["statusCode"] as? Int == 400)
            }
            let emptyAnswer = try await client.keyUsage(empty, from: "2026-03-01", to: "2026-03-05", bearer: bearer)
            #expect(Self.pairs(try #require(try emptyAnswer.json()["values"] as? [String: Any])[empty]) == [])
            let shortAnswer = try await client.keyUsage(short, from: "2026-03-01", to: "2026-03-05", bearer: bearer)
            let series = Self.pairs(try #require(try shortAnswer.json()["values"] as? [String: Any])[short])
            #expect(series == Self.expected(short, ["2026-03-01", "2026-03-02"]))
            // The key is matched exactly: another case is another key.
            let upper = try await client.keyUsage(
                short.uppercased(), from: "2026-03-01", to: "2026-03-05", bearer: bearer)
            #expect(
                Self.pairs(try #require(try upper.json()["values"] as? [String: Any])[short.uppercased()]).count == 5)
        }
    }

    @Test func keyUsageValidation() async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration()) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            let cases: [(String, String, String, String)] = [
                (Self.reported, "2025-12-01", "2026-03-01", "Date range exceeds 90 days"),
                (Self.reported, "2026-03-05", "2026-03-01", "endDate is before startDate"),
                (Self.reported, "2026-02-30", "2026-03-01", "Invalid startDate: expected YYYY-MM-DD"),
                ("not-a-guid", "2026-03-01", "2026-03-02", "Invalid appKey"),
            ]
            for (key, from, to, message) in cases {
                let answer = try await client.keyUsage(key, from: from, to: to, bearer: bearer)
                #expect(answer.status == 400)
                #expect(try answer.json()["status_message"] as? String == message)
            }
            let ninety = try await client.keyUsage(from: "2025-12-02", to: "2026-03-01", bearer: bearer)
            #expect(ninety.status == 200)
            let missing = try await client.send("/keyusage", query: [("appKey", Self.reported)], bearer: bearer)
            #expect(missing.status == 400)
        }
    }

    // MARK: Gateway and authorizer

    @Test func unknownPathsAndMethodsAnswerMissingAuthenticationToken() async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration()) { server in
            let base = server.baseURL
            let client = Client(server)
            let bearer = try await client.bearer()
            for path in ["/TTID/ext_uat_cert/token", "/ttid/ext_uat_cert/KeyUsage", "/ttid/ext_dev/token", "/"] {
                let raw = Client(server, environment: "x")
                var request = URLRequest(
                    url: try #require(URL(string: base + path + "?requestId=" + Client.requestID())))
                request.setValue(Self.key, forHTTPHeaderField: "x-api-key")
                let (data, response) = try await raw.session.data(for: request)
                #expect((response as? HTTPURLResponse)?.statusCode == 403)
                #expect(String(decoding: data, as: UTF8.self) == #"{"message":"Missing Authentication Token"}"#)
            }
            let wrongMethod = try await client.send("/token", method: "GET")
            #expect(wrongMethod.status == 403)
            let post = try await client.send("/keyusage", method: "POST", bearer: bearer)
            #expect(try post.json()["message"] as? String == "Missing Authentication Token")
            #expect(await server.counters().otherRequests == 6)
        }
    }

    @Test func requestIDAndApiKeyChecks() async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration()) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            for requestID in [nil, "no-guid", "a-b-c--" + UUID().uuidString, "app-co--1234"] as [String?] {
                let answer = try await client.send("/healthcheckstatus", requestID: requestID, bearer: bearer)
                #expect(answer.status == 400)
                #expect(
                    answer.text == #"{"status":"StatusFail","status_message":"Invalid requestId","statusCode":400}"#)
            }
            let noKey = try await client.send("/healthcheckstatus", apiKey: nil, bearer: bearer)
            #expect(noKey.status == 403)
            #expect(noKey.text == #"{"message":"Forbidden"}"#)
            let unknownKey = try await client.send("/healthcheckstatus", apiKey: Self.reported, bearer: bearer)
            #expect(unknownKey.status == 403)
            let counters = await server.counters()
            #expect(counters.requestIDs.count == 6)
            #expect(counters.requestIDs.contains("no-guid"))
            #expect(counters.unauthorized == 2)
        }
    }

    @Test func tokenRefusals() async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration()) { server in
            let client = Client(server)
            let bad = try await client.token(secret: "wrong")
            #expect(bad.status == 400)
            #expect(try bad.json()["status_message"] as? String == "invalid_client")
            #expect(try bad.json()["status_desc"] as? String == "Bad client credentials")
            let grant = try await client.send(
                "/token", method: "POST", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: "grant_type=password&app_key=\(Self.key):\(Self.secret)")
            #expect(try grant.json()["status_message"] as? String == "invalid_request")
            let json = try await client.send(
                "/token", method: "POST", headers: ["Content-Type": "application/json"],
                body: "grant_type=user_app&app_key=\(Self.key):\(Self.secret)")
            #expect(json.status == 400)
            let plus = try await client.send(
                "/token", method: "POST", headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
                body: "grant_type=user_app&app_key=\(Self.key)%3A\(Self.secret)")
            #expect(plus.status == 200)
        }
    }

    @Test func bearerChecksAndExpiry() async throws {
        // The sandbox's clock is a test clock: the token expires when the test says, with no wait.
        let clock = TestClock()
        let origin = clock.now
        let configuration = Self.configuration {
            $0.tokenLifetime = .seconds(4)
            $0.elapsed = { origin.duration(to: clock.now) }
        }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let client = Client(server)
            let token = try await client.token()
            #expect(try token.json()["seconds_until_expiry"] as? Int == 4)
            let bearer = try #require(try token.json()["access_token"] as? String)
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 200)
            let none = try await client.send("/healthcheckstatus")
            #expect(none.status == 401)
            #expect(none.text == #"{"message":"Unauthorized"}"#)
            #expect(try await client.send("/healthcheckstatus", bearer: "made-up").status == 401)
            let otherBearer = try await client.bearer(appKey: Self.other.appKey, secret: Self.other.secret)
            let foreign = try await client.send("/healthcheckstatus", bearer: otherBearer)
            #expect(foreign.status == 403)
            #expect(foreign.text == #"{"message":"Forbidden"}"#)
            await clock.advance(by: .milliseconds(3_900))
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 200, "still good at 3.9 s")
            await clock.advance(by: .milliseconds(200))
            let expired = try await client.send("/healthcheckstatus", bearer: bearer)
            #expect(expired.status == 401)
            #expect(expired.text == #"{"message":"The incoming token has expired"}"#)
        }
    }

    @Test func healthCheck() async throws {
        try await TTIDSandboxServer.withRunning(Self.configuration()) { server in
            let client = Client(server, environment: "ext_prod_live")
            let bearer = try await client.bearer()
            let answer = try await client.send("/healthcheckstatus", bearer: bearer)
            let json = try answer.json()
            #expect(json["environment"] as? String == "ext_prod_live")
            #expect(json["systemStatus"] as? String == "Operational")
            let groups = try #require(json["groups"] as? [[String: Any]])
            #expect(groups.count == 3)
            #expect(groups.first?["name"] as? String == "TT REST API")
            #expect(await server.counters().healthRequests == 1)
        }
    }

    // MARK: Limits

    @Test func dailyQuotaAndItsReset() async throws {
        let clock = Clock(Self.noon)
        let configuration = Self.configuration {
            $0.dailyQuota = 3
            $0.now = { clock.now }
        }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 200)
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 200)
            let spent = try await client.send("/healthcheckstatus", bearer: bearer)
            #expect(spent.status == 429)
            #expect(spent.text == #"{"message":"Limit Exceeded"}"#)
            // Another key has its own quota.
            #expect(try await client.token(appKey: Self.other.appKey, secret: Self.other.secret).status == 200)
            clock.now = Self.noon.addingTimeInterval(12 * 3600)
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 200)
            await server.update { $0.dailyQuota = 0 }
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 429)
            #expect(await server.counters().quotaRefused == 2)
        }
    }

    @Test func rateLimitRefusalsDoNotSpendTheQuota() async throws {
        let configuration = Self.configuration {
            $0.rate = 0.001
            $0.burst = 2
            $0.dailyQuota = 3
        }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 200)
            let throttled = try await client.send("/healthcheckstatus", bearer: bearer)
            #expect(throttled.status == 429)
            #expect(throttled.text == #"{"message":"Too Many Requests"}"#)
            await server.update { $0.rate = nil }
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 200)
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 429)
            let counters = await server.counters()
            #expect(counters.throttled == 1)
            #expect(counters.quotaRefused == 1)
        }
    }

    @Test func tokenBucketRefills() async throws {
        // One every two seconds with a bucket of three, on a test clock: the token call and two more pass, the
        // next is refused; two seconds later one more passes, and only one.
        let clock = TestClock()
        let origin = clock.now
        let configuration = Self.configuration {
            $0.rate = 0.5
            $0.elapsed = { origin.duration(to: clock.now) }
        }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let client = Client(server)
            let bearer = try await client.bearer()
            var statuses: [Int] = []
            for _ in 0..<3 {
                statuses.append(try await client.send("/healthcheckstatus", bearer: bearer).status)
            }
            #expect(statuses == [200, 200, 429])
            await clock.advance(by: .milliseconds(1_900))
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 429, "not refilled at 1.9 s")
            await clock.advance(by: .milliseconds(200))
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 200)
            #expect(try await client.send("/healthcheckstatus", bearer: bearer).status == 429)
        }
    }

    // MARK: Faults

    @Test(arguments: [SandboxFault.gateway5xx, .tt5xx, .malformedJSON, .throttle429])
    func faultsWithAnAnswer(fault: SandboxFault) async throws {
        let configuration = Self.configuration {
            $0.faultRate = 1
            $0.faults = [fault]
            $0.dailyQuota = 1
        }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let client = Client(server)
            for _ in 0..<4 {
                let answer = try await client.token()
                switch fault {
                case .gateway5xx:
                    #expect([502, 503].contains(answer.status))
                    #expect(answer.text == #"{"message":"Internal server error"}"#)
                case .tt5xx:
                    #expect(answer.status == 500)
                    #expect(try answer.json()["status_message"] as? String == "Internal error")
                case .malformedJSON:
                    #expect(answer.status == 200)
                    #expect((try? JSONSerialization.jsonObject(with: answer.body)) == nil)
                case .throttle429:
                    #expect(answer.status == 429)
                    #expect(answer.header("Retry-After") == "0")
                case .dropConnection:
                    break
                }
            }
            await server.update { $0.faultRate = 0 }
            // Faults spent no quota: the one call of the day still passes.
            #expect(try await client.token().status == 200)
            #expect(await server.counters().faultsInjected == 4)
        }
    }

    @Test func droppedConnectionIsATransportError() async throws {
        let configuration = Self.configuration {
            $0.faultRate = 1
            $0.faults = [.dropConnection]
        }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let client = Client(server)
            let error = await #expect(throws: URLError.self) {
                _ = try await client.token()
            }
            #expect(error?.code == .badServerResponse, "\(String(describing: error))")
            #expect(await server.counters().faultsInjected == 1)
        }
    }

    @Test func faultsAtAHalfRateAreMixed() async throws {
        try await TTIDSandboxServer.withRunning(
            Self.configuration {
                $0.faultRate = 0.5; $0.faults = [.tt5xx]
            }
        ) {
            server in
            let client = Client(server)
            var statuses: [Int] = []
            for _ in 0..<40 {
                statuses.append(try await client.token().status)
            }
            #expect(statuses.contains(200))
            #expect(statuses.contains(500))
        }
    }

    // MARK: Lifecycle

    @Test func manyStartStopCycles() async throws {
        let server = TTIDSandboxServer(configuration: Self.configuration())
        for _ in 0..<15 {
            let port = try await server.start()
            #expect(server.port == port)
            #expect(server.baseURL == "http://127.0.0.1:\(port)")
            #expect(try await Client(server).token().status == 200)
            await server.stop()
            #expect(server.port == nil)
        }
        #expect(await server.counters().tokenRequests == 15)
        let error = await #expect(throws: URLError.self) {
            _ = try await Client(server).token()
        }
        #expect(error?.code == .cannotConnectToHost, "\(String(describing: error))")
    }

    @Test func stopWaitsForAnAnswerInFlight() async throws {
        let server = TTIDSandboxServer(configuration: Self.configuration { $0.latency = .milliseconds(300) })
        try await server.start()
        let client = Client(server)
        async let answer = client.token()
        while await server.counters().tokenRequests == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        await server.stop()
        #expect(try await answer.status == 200)
    }

    @Test func withRunningStopsOnThrow() async throws {
        struct Planned: Error {}
        let box = Clock(Self.noon)
        await #expect(throws: Planned.self) {
            try await TTIDSandboxServer.withRunning(Self.configuration()) { server in
                box.url = server.baseURL
                throw Planned()
            }
        }
        let url = try #require(URL(string: box.url + "/ttid/ext_uat_cert/healthcheckstatus"))
        let error = await #expect(throws: URLError.self) {
            _ = try await URLSession(configuration: .ephemeral).data(from: url)
        }
        #expect(error?.code == .cannotConnectToHost, "\(String(describing: error))")
    }
}

/// A settable wall clock (and a string slot) shared with `@Sendable` closures.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var _now: Date
    private var _url = ""

    init(_ now: Date) { self._now = now }

    var now: Date {
        get { self.lock.withLock { self._now } }
        set { self.lock.withLock { self._now = newValue } }
    }

    var url: String {
        get { self.lock.withLock { self._url } }
        set { self.lock.withLock { self._url = newValue } }
    }
}
