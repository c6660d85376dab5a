import Foundation
import TTID
import TTIDSandbox
import Testing
import UsageExport

@testable import UsageCore

/// Runs exports against a sandbox over real HTTP.
enum ExportFixture {
    static let today = Day(containing: Date())

    static func keys(_ count: Int) -> [KeyEntry] {
        (0..<count).map {
            KeyEntry(
                appKey: String(format: "%08x-1111-4222-8333-%012X", $0 * 7919, $0), userId: "\(1000 + $0)",
                label: "Customer \($0 % 3)")
        }
    }

    static func sandbox() -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        return configuration
    }

    static func export(
        _ server: TTIDSandboxServer, keys: [KeyEntry], range: DayRange, chunkDays: Int = 90, concurrency: Int = 4,
        rate: Double = 0,
        retry: RetryPolicy = RetryPolicy(maxRetries: 8, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100)),
        progress: FetchProgress = FetchProgress()
    ) async throws -> UsageDataset {
        let configuration = TTIDClientConfiguration(
            endpoint: try TTIDEndpoint(baseURL: server.baseURL),
            requestIDs: try RequestIDFactory(appName: "tests", company: "ttusage"), maxConnections: concurrency)
        let credential = SandboxConfiguration.demoCredential
        let gate = CallGate()
        let plan = try ExportPlan(keys: keys, range: range, chunkDays: chunkDays)
        return try await TTIDClient.withClient(
            configuration: configuration,
            credentials: TTCredentials(appKey: credential.appKey, secret: credential.secret),
            pacer: RequestPacer(rate: rate), gate: gate
        ) { client in
            try await Exporter(concurrency: concurrency, retry: retry).run(
                plan, source: client, gate: gate, today: today, environment: "ext_uat_cert", progress: progress)
        }
    }

    /// Every day of every key equals the sandbox's model.
    static func expectExact(_ dataset: UsageDataset, keys: [KeyEntry], range: DayRange, seed: UInt64 = 42) {
        #expect(dataset.keys.map(\.key) == keys)
        for usage in dataset.keys {
            #expect(usage.status == .complete, "\(usage.key.appKey)")
            #expect(usage.days.map(\.date) == Array(range))
            for day in usage.days {
                let expected = SandboxUsageModel.usage(appKey: usage.key.appKey, day: day.date.description, seed: seed)
                #expect(day.used == expected.used && day.remaining == expected.remaining && day.status == .ok)
            }
        }
    }
}

@Suite("Export pipeline against the sandbox")
struct ExporterTests {
    typealias F = ExportFixture
    let range = DayRange(from: F.today.adding(days: -75), to: F.today.adding(days: -1))!

    @Test(arguments: KeyUsageShape.allCases)
    func exactOverEveryShapeAndChunking(_ shape: KeyUsageShape) async throws {
        var configuration = F.sandbox()
        configuration.shape = shape
        let keys = F.keys(6)
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let dataset = try await F.export(server, keys: keys, range: range, chunkDays: 20)
            F.expectExact(dataset, keys: keys, range: range)
            let counters = await server.counters()
            #expect(counters.keyUsageRequests == 6 * 4)
            #expect(counters.tokenRequests == 1)
        }
    }

    @Test func exactUnderFaultsWithShortTokensAndARateLimit() async throws {
        var configuration = F.sandbox()
        configuration.faultRate = 0.25
        // Faults, not throttles: a 429 asks the client to slow down, and it does (ThrottleTests, SharedLimitTests).
        configuration.faults = SandboxFault.allCases.filter { $0 != .throttle429 }
        // 150 calls and their retries at 80/s take about 2.5 s: a 2 s token (renewed at 1.6 s) runs out on the way.
        configuration.tokenLifetime = .seconds(2)
        configuration.latency = .milliseconds(20)
        configuration.rate = 80
        configuration.burst = 8
        let keys = F.keys(30)
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let progress = FetchProgress()
            let dataset = try await F.export(
                server, keys: keys, range: range, chunkDays: 15, concurrency: 8, rate: 80,
                retry: RetryPolicy(maxRetries: 12, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50)),
                progress: progress)
            // No day missing, none doubled: every figure is the sandbox's own.
            F.expectExact(dataset, keys: keys, range: range)
            let counters = await server.counters()
            let planned = 30 * 5
            #expect(counters.faultsInjected > 0)
            #expect(counters.keyUsageOK == planned, "each chunk answered once")
            // Every keyusage request beyond the planned ones is a retry the faults caused, or a repeat of a call
            // whose token was refused (a call that left just before its token was renewed can reach a loaded
            // machine's sandbox after the token expired: the client renews and repeats it, which is no retry).
            let retries = progress.snapshot.retries
            #expect(counters.keyUsageRequests - planned <= retries + counters.unauthorized)
            // Each retry follows a fault, a throttle or a refused token; a token call that failed is shared by up to
            // the 8 calls waiting for that token, and each of them retries.
            let failedTokenCalls = counters.tokenRequests - counters.tokensIssued.count
            #expect(
                retries <= counters.faultsInjected + counters.throttled + counters.unauthorized + 7 * failedTokenCalls)
            // 2 s tokens over a run of a few seconds: renewed on the way.
            #expect(counters.tokenRequests >= 2)
            #expect(Set(counters.requestIDs).count == counters.requestIDs.count, "every retry has a new request ID")
        }
    }

    @Test func refusedKeyFailsAndOthersComplete() async throws {
        var configuration = F.sandbox()
        let keys = F.keys(5)
        configuration.refusedKeys = [keys[2].appKey]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let dataset = try await F.export(server, keys: keys, range: range, chunkDays: 30)
            #expect(dataset.keys[2].status == .failed && dataset.keys[2].days.isEmpty)
            #expect(dataset.failures.map(\.appKey) == [keys[2].appKey])
            #expect(dataset.failures.first?.reason.contains("400") == true)
            let others = dataset.keys.enumerated().filter { $0.offset != 2 }.map(\.element)
            #expect(others.allSatisfy { $0.status == .complete })
        }
    }

    @Test func shortChunkAndEmptyKeyAreMissingNotFailures() async throws {
        var configuration = F.sandbox()
        let keys = F.keys(3)
        configuration.shortKeys = [keys[0].appKey: 10]
        configuration.emptyKeys = [keys[1].appKey]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let dataset = try await F.export(server, keys: keys, range: range, chunkDays: 30)
            #expect(dataset.failures.isEmpty)
            let short = dataset.keys[0]
            #expect(short.status == .incomplete)
            // Each 30-day chunk returned its first 10 days: the rest are missing, never zero.
            for (offset, day) in short.days.enumerated() {
                #expect(day.status == (offset % 30 < 10 ? .ok : .missing))
                if day.status == .missing { #expect(day.used == nil) }
            }
            #expect(dataset.keys[1].days.allSatisfy { $0.status == .missing })
            #expect(dataset.keys[2].status == .complete)
        }
    }

    @Test func spentQuotaStopsTheRun() async throws {
        var configuration = F.sandbox()
        configuration.dailyQuota = 1 + 12
        let keys = F.keys(40)
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let error = await #expect(throws: ExportError.self) {
                _ = try await F.export(server, keys: keys, range: range, chunkDays: 90, concurrency: 4)
            }
            guard case .quotaSpent(let succeeded, let planned)? = error?.reason else {
                Issue.record("expected quotaSpent, got \(String(describing: error))")
                return
            }
            #expect(succeeded == 12 && planned == 40)
            #expect(error?.category == .tempFail)
            let counters = await server.counters()
            // Calls in flight may finish; no new call starts after the refusal.
            #expect(counters.quotaRefused <= 4)
        }
    }

    @Test func pacingKeepsUnderTheServiceLimit() async throws {
        var configuration = F.sandbox()
        configuration.rate = 10
        // A small burst absorbs the arrival jitter of a loaded machine; the client itself never bursts.
        configuration.burst = 3
        let keys = F.keys(20)
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let started = ContinuousClock.now
            let dataset = try await F.export(server, keys: keys, range: range, chunkDays: 90, concurrency: 8, rate: 10)
            let elapsed = ContinuousClock.now - started
            F.expectExact(dataset, keys: keys, range: range)
            // 21 calls (token included) one every 100 ms: at least 2 s, however many are in flight. That no 429 is
            // caused by the pacing is measured by `ttusage-fetch-bench pacing`, not here: on a loaded machine the
            // server's own scheduling can bunch arrivals.
            #expect(elapsed >= .milliseconds(1900))
            #expect(await server.counters().throttled <= 2)
        }
    }
}
