import Foundation
import TTIDSandbox
import Testing

/// The counts a run's summary gives are what happened: after a spent quota, a second run whose token request is
/// refused made no keyusage call and says so.
@Suite("summary counts")
struct SummaryCountTests {
    @Test func aRunWhoseTokenIsRefusedForTheQuotaCountsNoCall() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = try QuotaTests.keysFile(in: directory)
        try await TTIDSandboxServer.withRunning(QuotaTests.sandbox(quota: 6)) { server in
            let arguments = QuotaTests.export(keys, in: directory, server: server, store: false)
            let first = try await CLI.run(arguments, environment: CLI.demoEnvironment)
            #expect(first.code == 75, "\(first.stderr)")
            let before = await server.counters()
            let second = try await CLI.run(arguments, environment: CLI.demoEnvironment)
            let after = await server.counters()
            #expect(second.code == 75, "\(second.stderr)")
            #expect(after.keyUsageRequests == before.keyUsageRequests, "\(second.stderr)")
            #expect(after.tokenRequests == before.tokenRequests + 1)
            #expect(second.stderr.contains("stopped: 0 calls,"), "\(second.stderr)")
        }
    }
}
