import Foundation
import TTIDSandbox
import Testing
import UsageCore
import UsageStore

@Suite("The usage store: resume after SIGKILL, incremental exports, render offline")
struct StoreResumeTests {
    static let keyCount = 40
    static let chunkDays = 10
    /// Ends two days ago: every day is settled whenever CI runs.
    static let range: DayRange = {
        let today = Day(containing: Date())
        return DayRange(from: today.adding(days: -41), to: today.adding(days: -2))!
    }()

    @Test func killedExportResumesThenNeedsNoCallAndRendersOffline() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        let rows = (0..<Self.keyCount).map {
            String(format: "%08x-3333-4444-8555-%012x,%d,Customer %d", $0 * 31, $0, $0, $0 % 4)
        }
        try CLI.write("app_key,user_id,label\n" + rows.joined(separator: "\n") + "\n", to: keys)
        let storePath = directory.appendingPathComponent("usage.sqlite").path
        let planned = Self.keyCount * (Self.range.count / Self.chunkDays)
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        // 100 ms an answer: the export takes about 4 s, so the kill at a third of it lands while it fetches even when
        // a loaded machine wakes this test late.
        configuration.latency = .milliseconds(100)
        let server = TTIDSandboxServer(configuration: configuration)
        _ = try await server.start()
        func arguments(_ out: String) -> [String] {
            [
                "export", "--from", Self.range.from.description, "--to", Self.range.to.description, "--keys", keys.path,
                "--out", directory.appendingPathComponent(out).path, "--base-url", server.baseURL, "--rate", "0",
                "--chunk-days", String(Self.chunkDays), "--store", storePath, "--concurrency", "4", "--format", "csv",
            ]
        }
        do {
            // 1. Killed part way.
            let child = try CLI.start(arguments("first"), environment: CLI.demoEnvironment)
            // Watched from NIO's threads, where the sandbox runs: a parallel run that keeps the cooperative pool busy
            // cannot make the kill late.
            try await withTaskExecutorPreference(SandboxExecutor.shared) {
                let deadline = ContinuousClock.now + .seconds(60)
                while await server.counters().keyUsageOK < planned / 3, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                kill(child.processIdentifier, SIGKILL)
            }
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
            let stored = try await UsageStore(path: storePath).rowCount()
            #expect(stored % Self.chunkDays == 0, "a chunk is committed whole or not at all")
            let storedChunks = stored / Self.chunkDays
            #expect(storedChunks > 0 && storedChunks < planned)

            // 2. Run again: only what the first run had not stored is fetched, and the report is exact. The killed
            // run's last requests may still be on their way into a loaded sandbox: counting starts once it is quiet.
            var seen = await server.counters().keyUsageRequests
            while true {
                try await Task.sleep(for: .milliseconds(300))
                let now = await server.counters().keyUsageRequests
                if now == seen { break }
                seen = now
            }
            await server.resetCounters()
            let second = try await CLI.run(arguments("second"), environment: CLI.demoEnvironment)
            #expect(second.code == 0, "\(second.stderr)")
            #expect(await server.counters().keyUsageRequests == planned - storedChunks)
            let daily = try String(contentsOf: directory.appendingPathComponent("second/daily.csv"), encoding: .utf8)
            let lines = daily.split(separator: "\n").dropFirst()
            #expect(lines.count == Self.keyCount * Self.range.count)
            for line in lines {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let expected = SandboxUsageModel.usage(appKey: fields[1], day: fields[0], seed: 42)
                #expect(
                    fields[4] == String(expected.used) && fields[5] == String(expected.remaining) && fields[6] == "ok")
            }

            // 3. A third export of the same settled range makes no call at all.
            await server.resetCounters()
            let third = try await CLI.run(arguments("third"), environment: CLI.demoEnvironment)
            #expect(third.code == 0, "\(third.stderr)")
            let counters = await server.counters()
            #expect(counters.keyUsageRequests == 0 && counters.tokenRequests == 0)
            #expect(third.stderr.contains("\(Self.keyCount * Self.range.count) key-days from the store"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()

        // 4. Render from the store with the sandbox stopped equals the export's daily.csv.
        let offline = try await CLI.run([
            "render", "--store", storePath, "--keys", keys.path, "--from",
            Self.range.from.description, "--to", Self.range.to.description,
            "--out", directory.appendingPathComponent("offline").path, "--format", "csv",
        ])
        #expect(offline.code == 0, "\(offline.stderr)")
        let exported = try Data(contentsOf: directory.appendingPathComponent("second/daily.csv"))
        let rendered = try Data(contentsOf: directory.appendingPathComponent("offline/daily.csv"))
        #expect(exported == rendered)
    }

    @Test func spentQuotaKeepsWhatWasFetchedAndALaterRunFinishesTheRest() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        let rows = (0..<20).map { String(format: "%08x-3333-4444-8555-%012x,%d,C", $0 * 77, $0, $0) }
        try CLI.write("app_key,user_id,label\n" + rows.joined(separator: "\n") + "\n", to: keys)
        let storePath = directory.appendingPathComponent("usage.sqlite").path
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = 1 + 25
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let arguments = [
                "export", "--from", Self.range.from.description, "--to", Self.range.to.description,
                "--keys", keys.path, "--out", directory.appendingPathComponent("out").path,
                "--base-url", server.baseURL, "--rate", "0", "--chunk-days", "20", "--store", storePath,
            ]
            let first = try await CLI.run(arguments, environment: CLI.demoEnvironment)
            #expect(first.code == 75, "\(first.stderr)")
            // A spent quota is never retried: each refused request was a chunk's first, one per call in flight (the
            // default --concurrency, 4) when the quota ran out.
            let spent = await server.counters()
            #expect(spent.keyUsageOK == 25)
            #expect(spent.keyUsageRequests == spent.keyUsageOK + spent.quotaRefused, "\(spent)")
            #expect((1...4).contains(spent.quotaRefused), "\(spent)")
            #expect(CLI.files(in: directory.appendingPathComponent("out")).isEmpty)
            let kept = try await UsageStore(path: storePath).rowCount()
            #expect(kept == 25 * 20, "every successful chunk was kept")
            // The next day (here: a raised quota), the rest is fetched and nothing twice.
            await server.update { $0.dailyQuota = nil }
            await server.resetCounters()
            let second = try await CLI.run(arguments, environment: CLI.demoEnvironment)
            #expect(second.code == 0, "\(second.stderr)")
            #expect(await server.counters().keyUsageRequests == 40 - 25)
        }
    }

    @Test func planCountsOnlyWhatTheStoreLacks() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write(
            "app_key,user_id,label\n11111111-2222-4333-8444-555555555555,1,A\n22222222-2222-4333-8444-555555555555,2,B\n",
            to: keys)
        let storePath = directory.appendingPathComponent("usage.sqlite").path
        let store = try await UsageStore(path: storePath)
        let key = KeyEntry(appKey: "11111111-2222-4333-8444-555555555555", userId: "1", label: "A")
        let days = Self.range.map { DayUsage(date: $0, used: 1, remaining: 9, status: .ok) }
        try await store.save(service: .tt("ext_uat_cert"), key: key, days: days, fetchedAt: Date())
        let result = try await CLI.run([
            "plan", "--from", Self.range.from.description, "--to", Self.range.to.description,
            "--keys", keys.path, "--chunk-days", "10", "--store", storePath,
        ])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("keyusage calls: 4 "))
        #expect(result.stdout.contains("\(Self.range.count) key-days"))
    }
}

extension StoredService {
    /// TT's own host in `environment`.
    static func tt(_ environment: String) -> StoredService {
        StoredService(origin: StoredService.ttOrigin, environment: environment)
    }
}
