import Testing

@testable import TTID

@Suite("Request pacer")
struct PacerTests {
    @Test func slotsAreSpreadEvenlyWithNoBurstAtTheStart() async throws {
        let pacer = try #require(RequestPacer(rate: 50, margin: 0))
        let clock = ContinuousClock()
        let started = clock.now
        let instants = try await withThrowingTaskGroup(of: ContinuousClock.Instant.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await pacer.waitForSlot()
                    return clock.now
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted()
        }
        // The n-th call never goes before n × 20 ms: the rate is never exceeded, not even at the start.
        for (index, instant) in instants.enumerated() {
            #expect(instant - started >= .milliseconds(20 * index) - .milliseconds(1), "call \(index)")
        }
        #expect(RequestPacer(rate: 0) == nil)
    }
}
