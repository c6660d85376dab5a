import Foundation
import Synchronization
import TTID
import Testing
import UsageExport

@testable import UsageCore

/// A `KeyUsageFetching` that answers from a script, with no socket: a series per call computed from the key and
/// the day, errors for the calls the script names, and a short pause per call so that calls overlap. It counts
/// the calls and the most that were ever in flight at once.
final class ScriptedFetcher: KeyUsageFetching {
    /// What the script does with one call: answer, or throw.
    enum Step: Sendable {
        case answer
        case fail(TTIDError)
    }

    struct Counts: Sendable {
        var calls = 0
        var inFlight = 0
        var maxInFlight = 0
        /// Calls per `appKey|startDate`.
        var perChunk: [String: Int] = [:]
    }

    private let counts = Mutex(Counts())
    private let pause: Duration
    private let gate: CallGate?
    /// Decides each call from its chunk and the number of the call (1 for the first of the whole run).
    private let script: @Sendable (_ appKey: String, _ startDate: String, _ call: Int) -> Step

    init(
        pause: Duration = .milliseconds(2), gate: CallGate? = nil,
        script: @escaping @Sendable (_ appKey: String, _ startDate: String, _ call: Int) -> Step = { _, _, _ in .answer
        }
    ) {
        self.pause = pause
        self.gate = gate
        self.script = script
    }

    var snapshot: Counts { counts.withLock { $0 } }

    /// The figure the script answers for `appKey` on `day`.
    static func used(_ appKey: String, _ day: Day) -> Int {
        appKey.utf8.reduce(0) { ($0 * 31 + Int($1)) % 997 } + (Int(day.description.suffix(2)) ?? 0)
    }

    func keyUsage(appKey: String, userId: String, startDate: String, endDate: String) async throws
        -> KeyUsageSeries
    {
        // As the client does: a closed gate lets no new call out.
        try gate?.check()
        let call = counts.withLock { counts -> Int in
            counts.calls += 1
            counts.inFlight += 1
            counts.maxInFlight = max(counts.maxInFlight, counts.inFlight)
            counts.perChunk["\(appKey)|\(startDate)", default: 0] += 1
            return counts.calls
        }
        defer { counts.withLock { $0.inFlight -= 1 } }
        try await Task.sleep(for: pause)
        switch script(appKey, startDate, call) {
        case .fail(let error):
            throw error
        case .answer:
            guard let from = Day(iso: startDate), let to = Day(iso: endDate), let range = DayRange(from: from, to: to)
            else { throw TTIDError.scripted(.refused, "bad dates \(startDate) \(endDate)") }
            return KeyUsageSeries(days: range.map { UsageDatum(used: Self.used(appKey, $0), remaining: 100) })
        }
    }
}

extension TTIDError {
    static func scripted(_ kind: Kind, _ message: String, status: Int? = nil) -> TTIDError {
        TTIDError(kind: kind, endpoint: "keyusage", status: status, bodyShape: .other, message: message)
    }
}

/// The `Exporter` through its `KeyUsageFetching` seam: the concurrency bound, retries, refused keys, a spent
/// quota, the wait for the quota and the gate closing, with no sandbox and no socket.
@Suite("Exporter with a scripted fetcher")
struct ScriptedExporterTests {
    static let today = Day(iso: "2026-11-15")!
    static let range = DayRange(from: Day(iso: "2026-09-01")!, to: Day(iso: "2026-10-30")!)!

    static func keys(_ count: Int) -> [KeyEntry] {
        (0..<count).map { KeyEntry(appKey: "key-\($0)", userId: "\($0)", label: "K\($0)") }
    }

    static func run(
        _ fetcher: ScriptedFetcher, keys: [KeyEntry], chunkDays: Int = 30, concurrency: Int = 3,
        gate: CallGate = CallGate(), progress: FetchProgress = FetchProgress(), quotaWait: QuotaWait? = nil
    ) async throws -> UsageDataset {
        let plan = try ExportPlan(keys: keys, range: range, chunkDays: chunkDays)
        let exporter = Exporter(
            concurrency: concurrency, retry: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)),
            quotaWait: quotaWait)
        return try await exporter.run(
            plan, source: fetcher, gate: gate, today: today, environment: "ext_uat_cert", progress: progress)
    }

    static func expectScripted(_ usage: KeyUsage) {
        #expect(usage.status == .complete, "\(usage.key.appKey)")
        #expect(usage.days.map(\.date) == Array(range))
        #expect(usage.days.allSatisfy { $0.used == ScriptedFetcher.used(usage.key.appKey, $0.date) })
    }

    @Test func neverMoreCallsInFlightThanTheConcurrencyAndEveryChunkOnce() async throws {
        let fetcher = ScriptedFetcher()
        let dataset = try await Self.run(fetcher, keys: Self.keys(12), concurrency: 3)
        dataset.keys.forEach(Self.expectScripted)
        let counts = fetcher.snapshot
        #expect(counts.calls == 12 * 2)
        #expect(counts.maxInFlight == 3)
        #expect(counts.perChunk.values.allSatisfy { $0 == 1 })
    }

    @Test func transientFaultsAreRetriedAndTheResultIsExact() async throws {
        // The first two calls of key-1's first chunk fail with a 503; the third answers.
        let fetcher = ScriptedFetcher { key, start, _ in
            key == "key-1" && start == "2026-09-01" ? .fail(.scripted(.transient, "503", status: 503)) : .answer
        }
        let progress = FetchProgress()
        let error = await #expect(throws: ExportError.self) {
            _ = try await Self.run(fetcher, keys: Self.keys(3), progress: progress)
        }
        // A chunk that always fails uses its 3 retries and then ends the run as unavailable.
        guard case .unavailable(_, let retries)? = error?.reason else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(retries == 3)
        #expect(fetcher.snapshot.perChunk["key-1|2026-09-01"] == 4)

        let counter = FlakyCounter()
        let flaky = ScriptedFetcher { key, start, _ in
            key == "key-1" && start == "2026-09-01" && counter.next() <= 2
                ? .fail(.scripted(.transient, "503", status: 503)) : .answer
        }
        let counted = FetchProgress()
        let dataset = try await Self.run(flaky, keys: Self.keys(3), progress: counted)
        dataset.keys.forEach(Self.expectScripted)
        #expect(counted.snapshot.retries == 2 && counted.snapshot.throttles == 0)
        #expect(flaky.snapshot.perChunk["key-1|2026-09-01"] == 3)
    }

    @Test func aRefusedKeyFailsAloneAndItsOtherChunksAreNotFetched() async throws {
        let fetcher = ScriptedFetcher { key, _, _ in
            key == "key-2" ? .fail(.scripted(.refused, "HTTP 400: Invalid app key", status: 400)) : .answer
        }
        // One call at a time: key-2's second chunk is still to come when its first is refused.
        let dataset = try await Self.run(fetcher, keys: Self.keys(4), concurrency: 1)
        #expect(dataset.failures.map(\.appKey) == ["key-2"])
        #expect(dataset.keys[2].status == .failed)
        for index in [0, 1, 3] { Self.expectScripted(dataset.keys[index]) }
        #expect(fetcher.snapshot.perChunk["key-2|2026-10-01"] == nil, "no call for a refused key's next chunk")
    }

    @Test func aSpentQuotaClosesTheGateAndSaysWhatWasDone() async throws {
        // The service answers 9 calls, then every call is refused for the day.
        let fetcher = ScriptedFetcher { _, _, call in
            call > 9 ? .fail(.scripted(.quotaExceeded, "HTTP 429: Limit Exceeded", status: 429)) : .answer
        }
        let error = await #expect(throws: ExportError.self) {
            _ = try await Self.run(fetcher, keys: Self.keys(10), concurrency: 3)
        }
        guard case .quotaSpent(let succeeded, let planned)? = error?.reason else {
            Issue.record("expected quotaSpent, got \(String(describing: error))")
            return
        }
        #expect(succeeded == 9 && planned == 20)
        // Calls already started may finish; none starts after the first refusal.
        #expect(fetcher.snapshot.calls <= 9 + 3)
    }

    @Test func withAQuotaWaitTheRunSleepsUntilTheResetAndEndsExact() async throws {
        // Refused from the 7th call until the run has waited; the wait is a recorded sleep, not a real one.
        let waited = Mutex<[Duration]>([])
        let fetcher = ScriptedFetcher { _, _, call in
            call > 6 && waited.withLock({ $0.isEmpty })
                ? .fail(.scripted(.quotaExceeded, "HTTP 429: Limit Exceeded", status: 429)) : .answer
        }
        let now = try #require(try? Date("2026-11-15T23:59:30Z", strategy: .iso8601))
        let kept = Mutex<[Int]>([])
        let clock = Mutex(now)
        let wait = QuotaWait(
            now: { clock.withLock { $0 } },
            sleep: { duration in
                waited.withLock { $0.append(duration) }
                clock.withLock { $0 = $0.addingTimeInterval(Double(duration.components.seconds)) }
            },
            margin: .seconds(60), onWait: { count, _ in kept.withLock { $0.append(count) } })
        let dataset = try await Self.run(fetcher, keys: Self.keys(8), concurrency: 2, quotaWait: wait)
        dataset.keys.forEach(Self.expectScripted)
        // 30 s to midnight and the minute after it, slept in slices of a second at most.
        let slept = waited.withLock { $0 }
        #expect(slept.reduce(.zero, +) == .seconds(90), "\(slept)")
        #expect(slept.allSatisfy { $0 <= .seconds(1) })
        #expect(kept.withLock { $0 } == [6])
        #expect(fetcher.snapshot.perChunk.count == 16)
    }

    @Test func aClosedGateStartsNoNewCallAndKeepsWhatCameBack() async throws {
        let gate = CallGate()
        // The 5th call closes the gate (as an interrupt does) and is still answered.
        let fetcher = ScriptedFetcher(gate: gate) { _, _, call in
            if call == 5 { gate.close() }
            return .answer
        }
        let dataset = try await Self.run(fetcher, keys: Self.keys(10), concurrency: 2, gate: gate)
        let calls = fetcher.snapshot.calls
        #expect(calls >= 5 && calls <= 5 + 2)
        let fetchedDays = dataset.keys.reduce(0) { $0 + $1.days.filter { $0.used != nil }.count }
        #expect(fetchedDays >= 5 * 30, "the answered chunks are in the dataset")
        #expect(dataset.keys.contains { $0.status != .complete }, "the rest was never fetched")
    }
}

/// Counts the calls a script has seen, for a script that fails only the first few.
final class FlakyCounter: Sendable {
    private let count = Mutex(0)
    func next() -> Int {
        count.withLock {
            $0 += 1; return $0
        }
    }
}
