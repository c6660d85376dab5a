import Foundation
import Synchronization
import TTID
import Testing

@testable import UsageCore
@testable import UsageExport

/// A fetcher whose service caps the range of one call: a longer range is refused with HTTP 400 and `message`
/// (`%d` is the cap), as `ttusage sandbox --max-range-days` does. It counts the calls and the longest range answered.
final class RangeCappedFetcher: KeyUsageFetching {
    let cap: Int
    let message: String
    private let counts = Mutex((calls: 0, refused: 0, longest: 0))

    init(cap: Int, message: String = "Date range exceeds %d days") {
        self.cap = cap
        self.message = message
    }

    var snapshot: (calls: Int, refused: Int, longest: Int) { counts.withLock { $0 } }

    func keyUsage(appKey: String, userId: String, startDate: String, endDate: String) async throws
        -> KeyUsageSeries
    {
        guard let from = Day(iso: startDate), let to = Day(iso: endDate), let range = DayRange(from: from, to: to)
        else { throw TTIDError.scripted(.refused, "bad dates") }
        let refused = range.count > cap
        counts.withLock {
            $0.calls += 1
            if refused { $0.refused += 1 } else { $0.longest = max($0.longest, range.count) }
        }
        if refused {
            throw TTIDError.scripted(
                .refused, message.replacingOccurrences(of: "%d", with: "\(cap)"), status: 400)
        }
        return KeyUsageSeries(days: range.map { UsageDatum(used: ScriptedFetcher.used(appKey, $0), remaining: 100) })
    }
}

@Suite("the service's range limit")
struct RangeLimitTests {
    @Test(
        arguments: [
            ("Date range exceeds 30 days", 30), ("The number of days may not exceed 31", nil),
            ("maximum range is 14 days", 14), ("startDate/endDate span too long: 7-day maximum", 7),
        ] as [(String, Int?)])
    func aMessageAboutTheRangeStatesItsLimitWhenItCan(message: String, days: Int?) {
        #expect(RangeLimit.isAboutTheRange(message))
        #expect(RangeLimit.statedDays(message) == days || message.contains("may not exceed"))
    }

    @Test(arguments: [
        "User is not authorized to read the usage of this application key", "Permission denied",
        "Invalid appKey",
    ])
    func aRefusalOfTheKeyIsNotAboutTheRange(message: String) {
        #expect(!RangeLimit.isAboutTheRange(message))
    }

    /// A message that states the cap is learnt from one refusal; one that does not is halved until a range passes
    /// (60 → 30 → 15 days against a 20-day cap: two refusals).
    @Test(arguments: [
        (30, "Date range exceeds %d days", 30, 1), (20, "Date range too long", 15, 2),
    ])
    func aCappedServiceGivesAnExactDatasetAndTheLimitToUse(cap: Int, message: String, learnt: Int, refusals: Int)
        async throws
    {
        let fetcher = RangeCappedFetcher(cap: cap, message: message)
        let exporter = Exporter(concurrency: 1, retry: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(1)))
        let progress = FetchProgress()
        let plan = try ExportPlan(
            keys: ScriptedExporterTests.keys(3), range: ScriptedExporterTests.range, chunkDays: 60)
        let dataset = try await exporter.run(
            plan, source: fetcher, gate: CallGate(), today: ScriptedExporterTests.today, environment: "e",
            progress: progress)
        dataset.keys.forEach(ScriptedExporterTests.expectScripted)
        #expect(exporter.rangeLimit.days == learnt)
        let counts = fetcher.snapshot
        #expect(counts.longest <= cap)
        // Only the first key's first chunk is asked for too long a range.
        #expect(counts.refused == refusals, "\(counts)")
        let snapshot = progress.snapshot
        #expect(snapshot.done == counts.calls && snapshot.planned == counts.calls, "\(snapshot.line) \(counts)")
    }

    @Test func aSingleDayRefusedForItsRangeIsTheKeysOwnRefusal() async throws {
        let fetcher = RangeCappedFetcher(cap: 0)
        let exporter = Exporter(concurrency: 1, retry: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(1)))
        let plan = try ExportPlan(keys: ScriptedExporterTests.keys(1), range: ScriptedExporterTests.range, chunkDays: 4)
        let dataset = try await exporter.run(
            plan, source: fetcher, gate: CallGate(), today: ScriptedExporterTests.today, environment: "e")
        #expect(dataset.keys[0].status == .failed)
        #expect(dataset.keys[0].failureReason?.contains("Date range exceeds 0 days") == true)
    }
}
