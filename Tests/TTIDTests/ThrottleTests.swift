import Clocks
import Foundation
import Synchronization
import TTIDSandbox
import Testing

@testable import TTID

/// Throttles over real HTTP: the client slows down, does not count them as retries, and gives up only when no
/// call has succeeded for the pacer's give-up time.
/// A value shared by test tasks.
final class SharedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value { mutex.withLock { $0 } }
    func update(_ body: @Sendable (inout Value) -> Void) { mutex.withLock { body(&$0) } }
}

@Suite("Throttling against the sandbox")
struct ThrottleTests {
    typealias F = ClientFixture

    /// Told three times the real limit, the client is throttled, slows down, and every call succeeds with no
    /// retry left for faults. Paced in real time: about a second.
    @Test func throttlesAreNotRetriesAndLowerTheRate() async throws {
        var configuration = F.quietSandbox()
        configuration.rate = 30
        configuration.burst = 1
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let pacer = RequestPacer(ceiling: 90)
            let policy = RetryPolicy(maxRetries: 0)
            let throttles = SharedBox(0)
            try await F.withClient(server, pacer: pacer) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            for _ in 0..<5 {
                                let series = try await policy.run(onThrottle: { _, _ in throttles.update { $0 += 1 } })
                                {
                                    try await client.keyUsage(
                                        appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-02")
                                }
                                #expect(series.days == F.expected(F.keyA, from: "2026-09-01", days: 2))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let counters = await server.counters()
            #expect(counters.keyUsageOK == 30)
            #expect(counters.throttled > 0)
            #expect(pacer.reading.throttles == counters.throttled)
            #expect(throttles.value == counters.throttled)
            #expect((pacer.reading.rate ?? 90) < 90)
        }
    }

    /// A service that throttles every call: the run goes on past any retry count and gives up once five
    /// minutes of the test clock have passed with no success.
    @Test func aRunThatIsOnlyThrottledGivesUpAfterTheGiveUpTime() async throws {
        var configuration = F.quietSandbox()
        configuration.faultRate = 1
        configuration.faults = [.throttle429]
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let clock = TestClock()
            let pacer = RequestPacer(ceiling: nil, giveUpAfter: .seconds(300), clock: PacingClock(clock))
            let policy = RetryPolicy(maxRetries: 1)
            try await F.withClient(server, pacer: pacer) { client in
                let run = Task {
                    try await policy.run {
                        try await client.keyUsage(
                            appKey: F.keyA, userId: "1", startDate: "2026-09-01", endDate: "2026-09-01")
                    }
                }
                let finished = SharedBox(false)
                let watcher = Task {
                    _ = await run.result
                    finished.update { $0 = true }
                }
                // Ten seconds of the test clock at a time, each step waiting (in real time) for the call it lets go.
                var steps = 0
                while !finished.value, steps < 60 {
                    let before = pacer.reading.throttles
                    await clock.advance(by: .seconds(10))
                    let deadline = ContinuousClock.now + .seconds(5)
                    while pacer.reading.throttles == before, !finished.value, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    steps += 1
                }
                _ = await watcher.value
                let error = await #expect(throws: TTIDError.self) { try await run.value }
                #expect(error?.isThrottle == true)
                #expect((error?.stalledFor ?? .zero) >= .seconds(300))
                #expect(error?.description.contains("no call has succeeded for 5m") == true)
                #expect(steps >= 30 && steps < 60, "about 300 s of the test clock, 10 s a step")
            }
            // Far more throttles than the one retry allowed for faults.
            #expect(await server.counters().throttled > 20)
        }
    }
}
