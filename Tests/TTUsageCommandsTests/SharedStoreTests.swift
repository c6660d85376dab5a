import Foundation
import TTIDSandbox
import Testing
import UsageCore
import UsageStore

/// Several ttusage processes on one store at once: they wait for each other's writes (WAL, a busy timeout) and
/// all finish; nothing either wrote is lost.
@Suite("a store shared by concurrent runs")
struct SharedStoreTests {
    @Test func threeExportsAndAPlanOnOneStoreAllSucceed() async throws {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        let count = 12
        try CLI.write(
            "app_key,user_id,label\n"
                + (0..<count).map { String(format: "c%07x-0000-4000-8000-000000000001,%d,K%d", $0, 300 + $0, $0) }
                .joined(separator: "\n") + "\n", to: keys)
        let store = directory.appendingPathComponent("shared/usage.sqlite")
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        try await TTIDSandboxServer.withRunning(configuration) { server in
            func export(_ month: String, _ name: String) async throws -> CLI.Run {
                try await CLI.run(
                    [
                        "export", "--month", month, "--keys", keys.path, "--out",
                        directory.appendingPathComponent(name).path, "--store", store.path, "--chunk-days", "7",
                        "--format", "csv", "--base-url", server.baseURL, "--rate", "0", "--concurrency", "4",
                    ], environment: CLI.demoEnvironment)
            }
            async let september = export("2026-09", "a")
            async let october = export("2026-10", "b")
            async let octoberAgain = export("2026-10", "c")
            async let plan = CLI.run(["plan", "--month", "2026-10", "--keys", keys.path, "--store", store.path])
            let runs = try await [september, october, octoberAgain, plan]
            for run in runs { #expect(run.code == 0, "\(run.stderr)") }
            #expect(runs.allSatisfy { !$0.stderr.contains("damaged") && !$0.stderr.contains("busy") })
        }
        // Every key-day of September and October is in the store, once.
        let opened = try await UsageStore(path: store.path, readOnly: true)
        #expect(try await opened.rowCount() == count * (30 + 31))
        let range = DayRange(from: Day(iso: "2026-09-01")!, to: Day(iso: "2026-10-31")!)!
        let manifest = try Manifest.load(path: keys.path)
        // The rows are the sandbox's, the one service the store holds.
        let origins = try await opened.origins(environment: "ext_uat_cert")
        #expect(origins.count == 1 && origins.first?.hasPrefix("http://127.0.0.1:") == true)
        let service = StoredService(origin: origins.first ?? "", environment: "ext_uat_cert")
        let held = try await opened.held(service: service, keys: manifest.keys, range: range)
        #expect(held.allSatisfy { $0.count == 61 })
        // And the daily.csv of both October runs agree.
        let b = try String(contentsOf: directory.appendingPathComponent("b/daily.csv"), encoding: .utf8)
        let c = try String(contentsOf: directory.appendingPathComponent("c/daily.csv"), encoding: .utf8)
        #expect(b == c)
    }
}
