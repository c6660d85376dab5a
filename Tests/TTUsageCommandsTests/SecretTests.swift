import Foundation
import TTIDSandbox
import Testing
import UsageCore

@Suite("Secrets never leave the process")
struct SecretTests {
    @Test func secretAndTokensAppearNowhereAtTraceLevel() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write(
            "app_key,user_id,label\n11111111-2222-4333-8444-555555555555,1,A\n22222222-2222-4333-8444-555555555555,2,B\n",
            to: keys)
        let secret = "s3cret-\(UUID().uuidString)"
        var configuration = SandboxConfiguration()
        configuration.credentials = [
            SandboxCredential(appKey: SandboxConfiguration.demoCredential.appKey, secret: secret)
        ]
        configuration.rate = nil
        configuration.dailyQuota = nil
        configuration.tokenLifetime = .seconds(1)
        configuration.faultRate = 0.3
        // Faults, not throttles: a 429 slows the client down (ThrottleTests), which here would only cost time.
        configuration.faults = SandboxFault.allCases.filter { $0 != .throttle429 }
        configuration.refusedKeys = ["22222222-2222-4333-8444-555555555555"]
        let today = Day(containing: Date())
        let store = directory.appendingPathComponent("usage.sqlite")
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let environment = [
                "TT_APP_KEY": SandboxConfiguration.demoCredential.appKey,
                "TT_APP_SECRET": "\(SandboxConfiguration.demoCredential.appKey):\(secret)",
            ]
            var outputs: [String] = []
            for level in ["trace", "debug", "info"] {
                let run = try await CLI.run(
                    [
                        "export", "--from", today.adding(days: -40).description, "--to",
                        today.adding(days: -2).description,
                        "--keys", keys.path, "--out", directory.appendingPathComponent("out-\(level)").path,
                        "--base-url", server.baseURL, "--rate", "0", "--chunk-days", "3", "--log-level", level,
                        "--store", store.path, "--refresh", "--retry-base-ms", "5",
                    ], environment: environment)
                #expect(run.code == 2, "\(run.stderr.suffix(500))")
                outputs += [run.stdout, run.stderr]
            }
            let health = try await CLI.run(
                ["health", "--base-url", server.baseURL, "--log-level", "trace"],
                environment: [
                    "TT_APP_KEY": SandboxConfiguration.demoCredential.appKey,
                    "TT_APP_SECRET": "wrong-\(secret)",
                ])
            #expect(health.code == 77)
            outputs += [health.stdout, health.stderr]
            let tokens = await server.counters().tokensIssued
            #expect(tokens.count > 1)
            var texts = outputs
            for item in FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String] ?? [] {
                let url = directory.appendingPathComponent(item)
                if let data = try? Data(contentsOf: url) { texts.append(String(decoding: data, as: UTF8.self)) }
            }
            // The client logs each answer at debug: with --log-level trace the log ran, and it is what is checked below.
            #expect(texts.joined().contains("ttid answer"), "trace logging ran")
            for text in texts {
                #expect(!text.contains(secret))
                for token in tokens { #expect(!text.contains(token)) }
            }
        }
    }
}
