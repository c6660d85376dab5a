import AsyncHTTPClient
import Clocks
import Foundation
import TTIDSandbox
import Testing

@testable import TTID

@Suite("ttid client against the sandbox over HTTP")
struct ClientTests {
    typealias F = ClientFixture

    @Test(arguments: KeyUsageShape.allCases)
    func everyResponseShapeGivesTheExactSeries(_ shape: KeyUsageShape) async throws {
        var configuration = F.quietSandbox()
        configuration.shape = shape
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let series = try await F.withClient(server) {
                try await $0.keyUsage(appKey: F.keyB, userId: "42", startDate: "2026-09-01", endDate: "2026-09-30")
            }
            #expect(series.days == F.expected(F.keyB, from: "2026-09-01", days: 30))
        }
    }

    @Test func positionIsFollowedToTheKeysPage() async throws {
        var configuration = F.quietSandbox()
        configuration.pagedKeys = [F.keyA]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let series = try await F.withClient(server) {
                try await $0.keyUsage(appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-10")
            }
            #expect(series.pages == 2)
            #expect(series.days == F.expected(F.keyA, from: "2026-09-01", days: 10))
        }
    }

    @Test func emptyAndShortSeries() async throws {
        var configuration = F.quietSandbox()
        configuration.emptyKeys = [F.keyA]
        configuration.shortKeys = [F.keyB: 4]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            try await F.withClient(server) { client in
                let empty = try await client.keyUsage(
                    appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-10")
                #expect(empty.days.isEmpty)
                let short = try await client.keyUsage(
                    appKey: F.keyB, userId: "1", startDate: "2026-09-01", endDate: "2026-09-10")
                #expect(short.days == F.expected(F.keyB, from: "2026-09-01", days: 4))
            }
        }
    }

    @Test func oneTokenForManyConcurrentCalls() async throws {
        try await TTIDSandboxServer.withRunning(F.quietSandbox()) { server in
            try await F.withClient(server) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<40 {
                        group.addTask {
                            _ = try await client.keyUsage(
                                appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-02")
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let counters = await server.counters()
            #expect(counters.tokenRequests == 1)
            #expect(counters.keyUsageRequests == 40)
        }
    }

    @Test func tokenIsRenewedBeforeItExpires() async throws {
        // Client and sandbox on one test clock: a 3 s token is renewed at 80% of its life (2.4 s), never sent
        // expired, and nothing waits in real time.
        let clock = TestClock()
        let origin = clock.now
        var configuration = F.quietSandbox()
        configuration.tokenLifetime = .seconds(3)
        configuration.elapsed = { origin.duration(to: clock.now) }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            try await TTIDClient.withClient(
                configuration: try F.configuration(server),
                credentials: TTCredentials(appKey: F.credential.appKey, secret: F.credential.secret),
                clock: PacingClock(clock)
            ) { client in
                var fetched: [Int] = []
                for _ in 0..<8 {
                    _ = try await client.keyUsage(
                        appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-01")
                    fetched.append(await server.counters().tokenRequests)
                    await clock.advance(by: .milliseconds(500))
                }
                // Calls at 0, 0.5, … 3.5 s: a new token at 2.5 s (the first call past 2.4 s), none before.
                #expect(fetched == [1, 1, 1, 1, 1, 2, 2, 2], "\(fetched)")
            }
            #expect(await server.counters().unauthorized == 0)
        }
    }

    @Test(arguments: [401, 403])
    func expiredTokenIsRenewedOnceAndTheCallRepeatedOnce(status: Int) async throws {
        var configuration = F.quietSandbox()
        configuration.expiredTokenStatus = status
        try await TTIDSandboxServer.withRunning(configuration) { server in
            try await F.withClient(server) { client in
                let first = try await client.keyUsage(
                    appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-03")
                await server.expireTokens()
                let again = try await client.keyUsage(
                    appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-03")
                #expect(first == again)
            }
            let counters = await server.counters()
            #expect(counters.tokenRequests == 2)
            #expect(counters.unauthorized == 1)
            #expect(counters.keyUsageRequests == 3)
        }
    }

    /// A short-lived token can run out on a slow way to the service, and so can the fresh one after it: a call
    /// refused as expired is renewed and repeated up to three times, and then ends as refused credentials.
    @Test(arguments: [401, 403])
    func aTokenExpiredOnTheWayIsRenewedUpToThreeTimes(status: Int) async throws {
        var configuration = F.quietSandbox()
        configuration.expiredTokenStatus = status
        try await TTIDSandboxServer.withRunning(configuration) { server in
            try await F.withClient(server) { client in
                let first = try await client.keyUsage(
                    appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-03")
                await server.expireOnArrival(3)
                let again = try await client.keyUsage(
                    appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-03")
                #expect(first == again)
                var counters = await server.counters()
                #expect(counters.tokenRequests == 4)
                #expect(counters.unauthorized == 3)
                #expect(counters.keyUsageRequests == 1 + 4)

                await server.expireOnArrival(4)
                let error = await #expect(throws: TTIDError.self) {
                    try await client.keyUsage(
                        appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-03")
                }
                #expect(error?.kind == .credentialsRefused)
                #expect(error?.status == status)
                #expect(error?.message == "The incoming token has expired")
                counters = await server.counters()
                #expect(counters.unauthorized == 3 + 4)
                #expect(counters.keyUsageRequests == 1 + 4 + 4)
            }
        }
    }

    /// Every call the sandbox sees has its own request ID of TT's form, and the factory behind them never repeats
    /// one over 50,000 more. (Over the wire 300 calls: 2,000 took 5 s of CPU in a debug build, in client and
    /// sandbox code that each call runs the same way.)
    @Test func requestIDsAreWellFormedAndUniqueOverThousandsOfCalls() async throws {
        let form = /ttusage_tests-acme\.test--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/
        let factory = try await TTIDSandboxServer.withRunning(F.quietSandbox()) { server in
            try await F.withClient(server) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<300 {
                        if index >= 16 { try await group.next() }
                        group.addTask {
                            _ = try await client.keyUsage(
                                appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-01")
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let ids = await server.counters().requestIDs
            #expect(ids.count == 301)
            #expect(Set(ids).count == ids.count)
            #expect(ids.allSatisfy { $0.wholeMatch(of: form) != nil })
            return try F.configuration(server).requestIDs
        }
        let prefix = "ttusage_tests-acme.test--"
        var made = Set<String>()
        for _ in 0..<50_000 {
            let id = factory.make()
            #expect(id.hasPrefix(prefix) && id == id.lowercased())
            #expect(UUID(uuidString: String(id.dropFirst(prefix.count))) != nil)
            made.insert(id)
        }
        #expect(made.count == 50_000)
    }

    @Test func refusedKeyIsTTShapedAndRefused() async throws {
        var configuration = F.quietSandbox()
        configuration.refusedKeys = [F.keyA]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let error = await #expect(throws: TTIDError.self) {
                try await F.withClient(server) {
                    try await $0.keyUsage(appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-02")
                }
            }
            #expect(error?.kind == .refused)
            #expect(error?.status == 400)
            #expect(error?.bodyShape == .ttStatus)
        }
    }

    @Test func wrongSecretIsCredentialsRefusedAndNeverQuoted() async throws {
        try await TTIDSandboxServer.withRunning(F.quietSandbox()) { server in
            let secret = "wrong-secret-value-123"
            let error = await #expect(throws: TTIDError.self) {
                try await F.withClient(server, secret: secret) { try await $0.healthCheck() }
            }
            #expect(error?.kind == .credentialsRefused)
            #expect(error?.endpoint == "token")
            #expect(!(error.map { String(describing: $0) } ?? "").contains(secret))
        }
    }

    @Test func unknownAppKeyIsCredentialsRefused() async throws {
        try await TTIDSandboxServer.withRunning(F.quietSandbox()) { server in
            let error = await #expect(throws: TTIDError.self) {
                try await F.withClient(server, secret: "x", appKey: "11111111-2222-3333-4444-555555555555") {
                    try await $0.healthCheck()
                }
            }
            #expect(error?.kind == .credentialsRefused)
            #expect(error?.bodyShape == .gatewayMessage)
        }
    }

    @Test func quotaIsLimitExceeded() async throws {
        var configuration = F.quietSandbox()
        configuration.dailyQuota = 3
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let error = await #expect(throws: TTIDError.self) {
                try await F.withClient(server) { client in
                    for _ in 0..<5 {
                        _ = try await client.keyUsage(
                            appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-01")
                    }
                }
            }
            #expect(error?.kind == .quotaExceeded)
            #expect(error?.status == 429)
            #expect(await server.counters().keyUsageOK == 2)
        }
    }

    @Test func throttlingIsTransientAndPacingAvoidsIt() async throws {
        var configuration = F.quietSandbox()
        configuration.rate = 5
        configuration.burst = 1
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let error = await #expect(throws: TTIDError.self) {
                try await F.withClient(server) { client in
                    for _ in 0..<10 {
                        _ = try await client.keyUsage(
                            appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-01")
                    }
                }
            }
            #expect(error?.kind == .transient && error?.status == 429)
            // A small burst absorbs the arrival jitter of a loaded machine; the client itself never bursts.
            await server.update { $0.burst = 3 }
            await server.resetCounters()
            try await Task.sleep(for: .milliseconds(700))
            try await F.withClient(server, pacer: RequestPacer(rate: 4)) { client in
                for _ in 0..<8 {
                    _ = try await client.keyUsage(
                        appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-01")
                }
            }
            #expect(await server.counters().throttled == 0)
        }
    }

    @Test(arguments: [SandboxFault.gateway5xx, .tt5xx, .dropConnection, .malformedJSON, .throttle429])
    func everyFaultIsTransient(_ fault: SandboxFault) async throws {
        var configuration = F.quietSandbox()
        configuration.faults = [fault]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            try await F.withClient(server) { client in
                _ = try await client.healthCheck()
                await server.update { $0.faultRate = 1 }
                let error = await #expect(throws: TTIDError.self) {
                    _ = try await client.keyUsage(
                        appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-01")
                }
                #expect(error?.kind == .transient)
                switch fault {
                case .gateway5xx, .throttle429: #expect(error?.bodyShape == .gatewayMessage)
                case .tt5xx: #expect(error?.bodyShape == .ttStatus)
                case .dropConnection: #expect(error?.status == nil)
                case .malformedJSON: #expect(error?.status == 200)
                }
            }
        }
    }

    @Test func retriesGetNewRequestIDsAndSucceed() async throws {
        var configuration = F.quietSandbox()
        configuration.faultRate = 0.5
        configuration.faults = [.gateway5xx, .tt5xx, .dropConnection, .malformedJSON]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let policy = RetryPolicy(maxRetries: 20, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
            try await F.withClient(server) { client in
                for _ in 0..<20 {
                    let series = try await policy.run {
                        try await client.keyUsage(
                            appKey: F.keyB, userId: "1", startDate: "2026-09-01", endDate: "2026-09-05")
                    }
                    #expect(series.days == F.expected(F.keyB, from: "2026-09-01", days: 5))
                }
            }
            let counters = await server.counters()
            #expect(counters.faultsInjected > 0)
            #expect(Set(counters.requestIDs).count == counters.requestIDs.count)
        }
    }

    @Test func healthCheckIsTyped() async throws {
        try await TTIDSandboxServer.withRunning(F.quietSandbox()) { server in
            let status = try await F.withClient(server) { try await $0.healthCheck() }
            #expect(status.environment == "ext_uat_cert")
            #expect(!status.groups.isEmpty)
            #expect(status.groups.allSatisfy { !$0.services.isEmpty })
        }
    }

    @Test func upperCasePathsAre403() async throws {
        try await TTIDSandboxServer.withRunning(F.quietSandbox()) { server in
            for path in [
                "/TTID/ext_uat_cert/healthcheckstatus", "/ttid/EXT_UAT_CERT/healthcheckstatus",
                "/ttid/ext_uat_cert/HealthCheckStatus", "/ttid/other_env/healthcheckstatus",
            ] {
                let request = HTTPClientRequest(
                    url: server.baseURL + path + "?requestId=a-b--00000000-0000-0000-0000-000000000000")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(response.status.code == 403, "\(path)")
            }
        }
    }

    @Test func aServiceThatIsNotListeningIsATransientFaultInPlainWords() async throws {
        // Port 1 of the loopback host: nothing listens there (a stopped sandbox's port could be taken again by
        // another test running beside this one).
        let configuration = TTIDClientConfiguration(
            endpoint: try TTIDEndpoint(baseURL: "http://127.0.0.1:1"),
            requestIDs: try RequestIDFactory(appName: "ttusage_tests", company: "acme.test"),
            // A refused connection is tried again until the connect timeout, which the deadline shortens.
            requestTimeout: .milliseconds(500))
        let credentials = TTCredentials(appKey: F.credential.appKey, secret: F.credential.secret)
        let error = await #expect(throws: TTIDError.self) {
            try await TTIDClient.withClient(configuration: configuration, credentials: credentials) { client in
                _ = try await client.healthCheck()
            }
        }
        #expect(error?.kind == .transient && error?.status == nil)
        #expect(
            error?.description.contains("connection failed: Connection refused") == true, "\(String(describing: error))"
        )
    }
}
