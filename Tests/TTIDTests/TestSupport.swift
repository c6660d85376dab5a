import AsyncHTTPClient
import Foundation
import Logging
import TTIDSandbox

@testable import TTID

/// Builds clients aimed at a running sandbox.
enum ClientFixture {
    static let credential = SandboxConfiguration.demoCredential

    static func configuration(
        _ server: TTIDSandboxServer, environment: TTEnvironment = .uat,
        timeout: Duration = .seconds(10)
    ) throws -> TTIDClientConfiguration {
        TTIDClientConfiguration(
            endpoint: try TTIDEndpoint(environment: environment, baseURL: server.baseURL),
            requestIDs: try RequestIDFactory(appName: "ttusage_tests", company: "acme.test"),
            requestTimeout: timeout, maxConnections: 16)
    }

    /// Runs `body` with a client on the sandbox's demo credentials (or `secret`).
    static func withClient<T: Sendable>(
        _ server: TTIDSandboxServer, secret: String? = nil, appKey: String? = nil, pacer: RequestPacer? = nil,
        _ body: (TTIDClient) async throws -> T
    ) async throws -> T {
        let credentials = TTCredentials(appKey: appKey ?? credential.appKey, secret: secret ?? credential.secret)
        return try await TTIDClient.withClient(
            configuration: try configuration(server), credentials: credentials, pacer: pacer, body)
    }

    /// A sandbox with no rate limit and no quota, unless the test sets them.
    static func quietSandbox() -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        return configuration
    }

    static let keyA = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    static let keyB = "A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4E"

    /// The sandbox's numbers for `key` over `days`.
    static func expected(_ key: String, from start: String, days: Int, seed: UInt64 = 42) -> [UsageDatum] {
        var result: [UsageDatum] = []
        var date = isoFormatter.date(from: start) ?? Date()
        for _ in 0..<days {
            let day = isoFormatter.string(from: date)
            let usage = SandboxUsageModel.usage(appKey: key, day: day, seed: seed)
            result.append(UsageDatum(used: usage.used, remaining: usage.remaining))
            date = date.addingTimeInterval(86_400)
        }
        return result
    }

    static let isoFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }()
}
