import Foundation
import TTIDSandbox
import Testing
import UsageCore
import UsageExport
import UsageStore

@testable import TTUsageCommands

/// The daily quota over HTTP: `export --wait-for-quota` sleeps through a reset and ends exact, and
/// `plan --check-quota` reports the quota that the sandbox holds for the calling key.
@Suite("daily quota: waiting for the reset, checking before a run")
struct QuotaTests {
    static let keyCount = 20

    static func keysFile(in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("keys.csv")
        let rows = (0..<keyCount).map { String(format: "%08x-7777-4888-8999-%012x,%d,Q%d", $0 * 977, $0, 300 + $0, $0) }
        try CLI.write("app_key,user_id,label\n" + rows.joined(separator: "\n") + "\n", to: url)
        return url
    }

    /// An unlimited-rate sandbox with a daily quota of `quota`, reset `resetIn` seconds from now (TT's 00:00 UTC
    /// when `nil`).
    static func sandbox(quota: Int, resetIn: TimeInterval? = nil) -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = quota
        configuration.quotaResetAt = resetIn.map { Date().addingTimeInterval($0) }
        return configuration
    }

    /// `export` of October in one chunk a key to `directory/out`, unpaced, kept in `directory/usage.sqlite`
    /// (or `--no-store`), with `extra` options.
    static func export(
        _ keys: URL, in directory: URL, server: TTIDSandboxServer, store: Bool = true, extra: [String] = []
    ) -> [String] {
        [
            "export", "--month", "2026-10", "--keys", keys.path, "--out", directory.appendingPathComponent("out").path,
            "--chunk-days", "31", "--format", "csv", "--base-url", server.baseURL, "--rate", "0",
        ] + (store ? ["--store", directory.appendingPathComponent("usage.sqlite").path] : ["--no-store"]) + extra
    }

    /// The waiting options, with the sandbox's reset.
    static func waitOptions(_ configuration: SandboxConfiguration) -> [String] {
        ["--wait-for-quota"] + (configuration.quotaResetAt.map { ["--quota-reset-at", $0.formatted(.iso8601)] } ?? [])
    }

    /// 20 calls against a quota of 14 a period (the token and 13 calls): the run keeps 13, waits for the reset
    /// the sandbox puts 3 s away, and makes the other 7. End to end in real time: about 4 s.
    @Test func waitForQuotaGoesOnAfterTheResetAndEndsExact() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = try Self.keysFile(in: directory)
        let out = directory.appendingPathComponent("out")
        // Eight seconds away: a child that starts slowly on a loaded machine still meets the spent quota before the
        // reset (after it, the next reset is a day away).
        let configuration = Self.sandbox(quota: 14, resetIn: 8)
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let run = try await CLI.run(
                Self.export(
                    keys, in: directory, server: server,
                    extra: ["--concurrency", "2"] + Self.waitOptions(configuration)),
                environment: CLI.demoEnvironment)
            #expect(run.code == 0, "\(run.stderr)")
            let waits = run.stderr.split(separator: "\n").filter { $0.contains("daily quota spent after") }
            #expect(waits.count == 1, "\(run.stderr)")
            #expect(waits.first?.contains("spent after 13 calls (kept in the store)") == true, "\(run.stderr)")
            #expect(waits.first?.contains("waiting until") == true)
            let counters = await server.counters()
            #expect(counters.keyUsageOK == Self.keyCount, "every chunk answered once")
            // One refusal per call in flight (--concurrency 2) when the quota ran out; none retried before the reset.
            #expect((1...2).contains(counters.quotaRefused), "\(counters)")
        }
        let daily = try ReportReaders.csvRecords(try Data(contentsOf: out.appendingPathComponent("daily.csv")))
        #expect(daily.count - 1 == Self.keyCount * 31)
        let header = try #require(daily.first)
        let (key, day, used) = try (
            #require(header.firstIndex(of: "app_key")), #require(header.firstIndex(of: "date")),
            #require(header.firstIndex(of: "used"))
        )
        for row in daily.dropFirst() {
            #expect(row[used] == String(SandboxUsageModel.usage(appKey: row[key], day: row[day], seed: 42).used))
        }
    }

    /// An interrupt during the wait ends it at once, as any interrupt does: exit 130, the calls kept, no report.
    @Test func anInterruptDuringTheWaitEndsIt() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = try Self.keysFile(in: directory)
        let out = directory.appendingPathComponent("out")
        // The reset is an hour away: only the interrupt can end the wait.
        let configuration = Self.sandbox(quota: 6, resetIn: 3_600)
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let child = try InterruptTests.start(
                Self.export(
                    keys, in: directory, server: server,
                    extra: ["--concurrency", "1"] + Self.waitOptions(configuration)))
            let deadline = Date().addingTimeInterval(20)
            while await server.counters().quotaRefused == 0 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(child.process.isRunning, "the run waits for the reset")
            child.process.interrupt()
            // 130, not the 143 of the SIGTERM that `wait` sends after 10 s: the interrupt ended the wait.
            let (code, stderr) = try await InterruptTests.wait(child, seconds: 10)
            #expect(code == 130, "\(stderr)")
            #expect(stderr.contains("daily quota spent after 5 calls (kept in the store)"), "\(stderr)")
            #expect(stderr.contains("interrupted: 5 of 20 calls kept in the store"), "\(stderr)")
            #expect(CLI.files(in: out).filter { !$0.hasPrefix(".") }.isEmpty, "no report")
        }
    }

    /// Without the option a spent quota still ends the run with exit 75 and keeps what was fetched.
    @Test func withoutTheOptionASpentQuotaStillExits75() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = try Self.keysFile(in: directory)
        try await TTIDSandboxServer.withRunning(Self.sandbox(quota: 6)) { server in
            let run = try await CLI.run(
                Self.export(keys, in: directory, server: server, extra: ["--concurrency", "1"]),
                environment: CLI.demoEnvironment)
            #expect(run.code == 75, "\(run.stderr)")
        }
    }

    static func plan(_ server: TTIDSandboxServer, keys: URL, extra: [String]) async throws -> CLI.Run {
        try await CLI.run(
            [
                "plan", "--month", "2026-10", "--keys", keys.path, "--chunk-days", "7", "--no-store", "--check-quota",
                "--base-url", server.baseURL,
            ] + extra,
            environment: CLI.demoEnvironment)
    }

    /// The calling key has spent part of its quota today; plan reads what is left with one keyusage call.
    @Test func checkQuotaReportsWhatTheSandboxHoldsForTheCallingKey() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = try Self.keysFile(in: directory)
        try await TTIDSandboxServer.withRunning(Self.sandbox(quota: 150)) { server in
            // Spend some of the calling key's quota first: a small export (its token call and 20 keyusage calls).
            let spend = try await CLI.run(
                Self.export(keys, in: directory, server: server, store: false), environment: CLI.demoEnvironment)
            #expect(spend.code == 0, "\(spend.stderr)")
            let before = await server.quotaUsed(appKey: SandboxConfiguration.demoCredential.appKey)
            #expect(before == 21)
            // October in 7-day chunks: 5 calls a key, 100 in all, and the token: 101 fit in the 150 - 21 - 2 left
            // after plan's own token and keyusage calls.
            let fits = try await Self.plan(server, keys: keys, extra: ["--user-id", "42"])
            #expect(fits.code == 0, "\(fits.stderr)")
            let after = await server.quotaUsed(appKey: SandboxConfiguration.demoCredential.appKey)
            #expect(after == before + 2, "one token call and one keyusage call")
            let used = after
            #expect(fits.stdout.contains("the calling key has used \(used), \(150 - used) remain"), "\(fits.stdout)")
            #expect(
                fits.stdout.contains("the 101 calls fit in today's remaining quota (\(150 - used - 101) left"),
                "\(fits.stdout)")
            // With the quota lowered to 100, what is left today no longer covers the plan.
            await server.update { $0.dailyQuota = 100 }
            let short = try await Self.plan(server, keys: keys, extra: ["--user-id", "42"])
            #expect(short.code == 0, "\(short.stderr)")
            let spent = await server.quotaUsed(appKey: SandboxConfiguration.demoCredential.appKey)
            #expect(short.stdout.contains("has used \(spent), \(100 - spent) remain"), "\(short.stdout)")
            // 101 calls, 100 - 25 = 75 of them today, the rest the next day: 2 days.
            #expect(
                short.stdout.contains(
                    "the 101 calls do not fit in today's remaining \(100 - spent); the run needs 2 days"),
                "\(short.stdout)")
            // No user named: a clear note and no call.
            let calls = await server.counters().keyUsageRequests
            let skipped = try await Self.plan(server, keys: keys, extra: [])
            #expect(skipped.code == 0, "\(skipped.stderr)")
            #expect(skipped.stdout.contains("quota check skipped: give --user-id"), "\(skipped.stdout)")
            #expect(await server.counters().keyUsageRequests == calls)
        }
    }

    /// The arithmetic of the verdict, and when `export` checks on its own.
    @Test func theVerdictCountsTheDaysARunNeeds() {
        let check = QuotaCheck(today: Day(iso: "2026-12-03")!, dailyQuota: 10_000)
        #expect(
            check.verdict(QuotaCheck.Reading(used: 9_000, remaining: 1_000), calls: 1_000).last?
                .contains("the 1000 calls fit in today's remaining quota (0 left after them)") == true)
        // 25,001 calls, 1,000 today, then 10,000 a day: 1 + 3 days.
        #expect(
            check.verdict(QuotaCheck.Reading(used: 9_000, remaining: 1_000), calls: 25_001).last?
                .contains("the run needs 4 days (1000 today, then 10000 a day") == true)
        // No remaining figure: the plan's quota stands for the limit.
        let noRemaining = check.verdict(QuotaCheck.Reading(used: 4_000, remaining: nil), calls: 100)
        #expect(noRemaining.first?.contains("6000 remain (by the plan's quota of 10000)") == true, "\(noRemaining)")
        #expect(check.verdict(nil, calls: 5).first?.contains("reports no usage for the calling key today") == true)
        #expect(!QuotaCheck.worthChecking(calls: 1_000, dailyQuota: 10_000))
        #expect(QuotaCheck.worthChecking(calls: 1_001, dailyQuota: 10_000))
    }
}
