import Clocks
import Foundation
import TTID
import Testing
import UsageCore
import UsageExport

/// The progress line on a test clock: rate, time left, throttles apart from faults, the pacing rate, the wait.
@Suite("Fetch progress")
struct FetchProgressTests {
    @Test func theLineShowsThrottlesApartFromFaultsAndTheWait() async throws {
        let clock = TestClock()
        let progress = FetchProgress(planned: 100, clock: PacingClock(clock))
        await clock.advance(by: .seconds(10))
        for _ in 0..<20 { progress.callDone() }
        progress.retried()
        progress.throttled()
        progress.throttled()
        progress.setPacingRate(7)
        let snapshot = progress.snapshot
        #expect(snapshot.rate == 2)
        #expect(snapshot.remaining == 40)
        #expect(snapshot.retries == 3 && snapshot.throttles == 2 && snapshot.faults == 1)
        let time = ExportPlan.formatDuration(40)
        #expect(
            snapshot.line == "calls 20/100 · 2.0/s · retries 1 · throttled 2 · pacing 7.0/s · failures 0 · \(time) left"
        )
        // While the quota is spent the line says until when the run waits, not how long is left.
        let resume = try #require(try? Date("2026-12-04T00:01:00Z", strategy: .iso8601))
        progress.setWaiting(until: resume)
        #expect(progress.snapshot.line.hasSuffix("failures 0 · quota spent: waiting until 2026-12-04 00:01 UTC"))
        progress.setWaiting(until: nil)
        #expect(progress.snapshot.line.hasSuffix("\(time) left"))
    }
}
