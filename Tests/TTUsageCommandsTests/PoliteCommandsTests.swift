import Foundation
import TTIDSandbox
import Testing

/// `health` and `plan --check-quota` pace and back off as `export` does: run back to back against a key limited
/// to 3 calls a second with no burst, each ends, and the sandbox sees a handful of requests, not thousands.
@Suite("Few-call commands under a rate limit", .serialized)
struct PoliteCommandsTests {
    static var sandbox: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = 3
        configuration.burst = 1
        configuration.dailyQuota = nil
        return configuration
    }

    @Test func healthThreeTimesInARowEndsWithFewRequests() async throws {
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            for _ in 0..<3 {
                let run = try await CLI.run(
                    ["health", "--base-url", server.baseURL, "--timeout", "10"], environment: CLI.demoEnvironment)
                #expect(run.code == 0, "\(run.stderr)")
            }
            let counters = await server.counters()
            let requests = counters.tokenRequests + counters.healthRequests
            // Each run needs a token and a health call; a throttle costs at most a few paced tries more.
            #expect(counters.healthRequests >= 3 && requests <= 3 * 2 + 8, "\(counters)")
        }
    }

    @Test func checkQuotaThreeTimesInARowEndsWithFewRequests() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write("app_key,user_id,label\n3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a01,100231,Acme\n", to: keys)
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            for _ in 0..<3 {
                let run = try await CLI.run(
                    [
                        "plan", "--month", "2026-10", "--keys", keys.path, "--check-quota", "--user-id", "100231",
                        "--base-url", server.baseURL, "--timeout", "10",
                    ], environment: CLI.demoEnvironment)
                #expect(run.code == 0, "\(run.stderr)")
                #expect(run.stdout.contains("quota check:"), "\(run.stdout)")
            }
            let counters = await server.counters()
            #expect(counters.keyUsageRequests >= 3, "\(counters)")
            #expect(counters.tokenRequests + counters.keyUsageRequests <= 3 * 2 + 8, "\(counters)")
        }
    }

    /// A service that throttles every request: the command gives up after --timeout seconds with exit 69, having
    /// waited between its requests.
    @Test func aServiceThatOnlyThrottlesEndsWithinTheTimeout() async throws {
        var configuration = Self.sandbox
        configuration.externalLoad = 3
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let started = ContinuousClock.now
            let run = try await CLI.run(
                ["health", "--base-url", server.baseURL, "--timeout", "3"], environment: CLI.demoEnvironment)
            let elapsed = ContinuousClock.now - started
            #expect(run.code == 69, "\(run.stderr)")
            #expect(elapsed < .seconds(20), "\(elapsed)")
            let counters = await server.counters()
            // Paced at 0.5 to a few calls a second for about 3 s: never a tight loop.
            #expect(counters.tokenRequests + counters.healthRequests <= 20, "\(counters)")
        }
    }

    /// Nothing listens on the port: the command ends in seconds and says the service was not reached.
    @Test func anUnreachableServiceFailsFast() async throws {
        let port = try await TTIDSandboxServer.withRunning(Self.sandbox) { server in server.baseURL }
        let directory = try CLI.temporaryDirectory()
        let started = ContinuousClock.now
        let run = try await CLI.run(
            [
                "export", "--month", "2026-10", "--keys", CLI.sampleManifest.path, "--out",
                directory.appendingPathComponent("out").path, "--base-url", port, "--no-store",
            ], environment: CLI.demoEnvironment)
        let elapsed = ContinuousClock.now - started
        #expect(run.code == 69, "\(run.stderr)")
        #expect(elapsed < .seconds(15), "\(elapsed)")
        #expect(run.stderr.contains("was not reached"), "\(run.stderr)")
        #expect(run.stderr.contains("cannot be reached"), "\(run.stderr)")
    }

    @Test func anAppKeyThatIsNoGUIDIsRefusedBeforeAnyCall() async throws {
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            let run = try await CLI.run(
                ["health", "--base-url", server.baseURL],
                environment: ["TT_APP_KEY": "not-a-key", "TT_APP_SECRET": "sandbox-secret"])
            #expect(run.code == 64, "\(run.stderr)")
            #expect(run.stderr.contains("TT_APP_KEY is not a TT application key"), "\(run.stderr)")
            #expect(!run.stderr.contains("not-a-key"))
            let counters = await server.counters()
            #expect(counters.tokenRequests == 0 && counters.healthRequests == 0)
        }
    }
}
