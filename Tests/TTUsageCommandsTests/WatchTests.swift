import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import TTIDSandbox
import Testing
import UsageReports

/// A run the operator can watch: the metrics file, webhook notifications against a real local receiver, and the
/// store's run history, each read back.
@Suite("Metrics, notifications and run history")
struct WatchTests {
    /// A webhook receiver that answers `status` and keeps every body it got.
    final class Receiver: Sendable {
        let bodies = Mutex<[Data]>([])
        let status: HTTPResponse.Status

        init(status: HTTPResponse.Status) { self.status = status }

        /// Runs `body` with the receiver listening; gives it the hook's URL.
        func listening<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
            let router = Router()
            router.post("/hooks/secret-path") { [self] request, _ -> Response in
                let buffer = try await request.body.collect(upTo: 1 << 20)
                self.bodies.withLock { $0.append(Data(buffer: buffer)) }
                return Response(status: self.status)
            }
            let app = Application(
                router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
            // On NIO's threads, as the sandbox: a test that keeps the cooperative pool busy cannot make the receiver
            // answer after the notifier's 10 s timeout (which would post again).
            return try await withTaskExecutorPreference(SandboxExecutor.shared) {
                try await app.test(.live) { client in
                    try await body("http://127.0.0.1:\(client.port ?? 0)/hooks/secret-path")
                }
            }
        }
    }

    static var sandbox: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        return configuration
    }

    static func export(_ server: TTIDSandboxServer, out: URL, _ extra: [String]) async throws -> CLI.Run {
        try await CLI.run(
            [
                "export", "--month", "2026-09", "--keys", CLI.sampleManifest.path, "--out", out.path, "--base-url",
                server.baseURL, "--format", "csv",
            ] + extra, environment: CLI.demoEnvironment)
    }

    /// A run with an alert posts one body with exactly the members of the contract, and nothing secret.
    @Test func aRunWithAnAlertPostsItsSummary() async throws {
        let directory = try CLI.temporaryDirectory()
        let receiver = Receiver(status: .ok)
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            let (run, hook) = try await receiver.listening { hook in
                (
                    try await Self.export(
                        server, out: directory.appendingPathComponent("a"), ["--alert", "at-quota", "--notify", hook]),
                    hook
                )
            }
            #expect(run.code == 3, "\(run.stderr)")
            let bodies = receiver.bodies.withLock { $0 }
            #expect(bodies.count == 1)
            let body = try #require(bodies.first)
            let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(
                Set(object.keys) == [
                    "text", "exit_code", "from", "to", "template", "alerts", "failures", "invoices_total", "out",
                ])
            #expect(object["exit_code"] as? Int == 3)
            #expect(object["from"] as? String == "2026-09-01" && object["to"] as? String == "2026-09-30")
            #expect(object["template"] as? String == "spreadsheet-handoff")
            #expect((object["invoices_total"] as? [String: Any])?.isEmpty == true)
            #expect(object["out"] as? String == directory.appendingPathComponent("a").path)
            let alerts = try #require(object["alerts"] as? [[String: Any]])
            #expect(!alerts.isEmpty)
            #expect(alerts.allSatisfy { Set($0.keys) == ["app_key", "user_id", "label", "rule", "date", "detail"] })
            let text = try #require(object["text"] as? String)
            #expect(text.contains("2026-09-01 to 2026-09-30") && text.contains("alerts.csv"), "\(text)")
            // No secret: not the app secret, not a token the sandbox issued, not the hook's path in any output.
            let raw = String(decoding: body, as: UTF8.self)
            #expect(!raw.contains(SandboxConfiguration.demoCredential.secret))
            for token in await server.counters().tokensIssued { #expect(!raw.contains(token)) }
            #expect(!run.stderr.contains("secret-path") && !hook.isEmpty)
        }
    }

    @Test func aCleanRunNotifiesOnlyWhenAskedAlways() async throws {
        let directory = try CLI.temporaryDirectory()
        let receiver = Receiver(status: .ok)
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            try await receiver.listening { hook in
                let quiet = try await Self.export(
                    server, out: directory.appendingPathComponent("a"), ["--notify", hook])
                #expect(quiet.code == 0, "\(quiet.stderr)")
                #expect(receiver.bodies.withLock { $0.count } == 0)
                let rates = CLI.sampleManifest.deletingLastPathComponent().appendingPathComponent("rates.example.yaml")
                let always = try await Self.export(
                    server, out: directory.appendingPathComponent("b"),
                    ["--notify", hook, "--notify-on", "always", "--rates", rates.path])
                #expect(always.code == 0, "\(always.stderr)")
                #expect(receiver.bodies.withLock { $0.count } == 1)
                // With a rate card the body carries the invoices' total, a decimal string per currency.
                let body = try #require(receiver.bodies.withLock { $0.first })
                let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
                let totals = try #require(object["invoices_total"] as? [String: String])
                #expect(totals.keys.sorted() == ["USD"] && totals["USD"]?.split(separator: ".").last?.count == 2)
            }
        }
    }

    /// A receiver that answers 500 is tried three times; one that is not there at all is a warning too; neither
    /// changes the run's exit code, and neither warning shows more of the hook than its scheme and host.
    @Test func aFailingHookIsAWarningAndNeverTheExitCode() async throws {
        let directory = try CLI.temporaryDirectory()
        let receiver = Receiver(status: .internalServerError)
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            try await receiver.listening { hook in
                let run = try await Self.export(
                    server, out: directory.appendingPathComponent("a"), ["--notify", hook, "--notify-on", "always"])
                #expect(run.code == 0, "\(run.stderr)")
                #expect(receiver.bodies.withLock { $0.count } == 3)
                let warnings = run.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: the notification") }
                #expect(warnings.count == 1, "\(run.stderr)")
                #expect(warnings.first?.contains("HTTP 500") == true && !run.stderr.contains("secret-path"))
            }
            let gone = try await receiver.listening { hook in hook }
            let run = try await Self.export(
                server, out: directory.appendingPathComponent("b"), ["--notify", gone, "--notify-on", "always"])
            #expect(run.code == 0, "\(run.stderr)")
            #expect(run.stderr.contains("warning: the notification to http://127.0.0.1:"), "\(run.stderr)")
            #expect(!run.stderr.contains("secret-path"))
        }
    }

    /// The metrics file after a good run holds the calls the sandbox answered; after a run against a service that
    /// cannot be reached, exit code 69 and the earlier success time.
    @Test func theMetricsFileTellsTheLastRunAndTheLastSuccess() async throws {
        let directory = try CLI.temporaryDirectory()
        let metrics = directory.appendingPathComponent("ttusage.prom")
        var gone = ""
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            gone = server.baseURL
            let run = try await Self.export(
                server, out: directory.appendingPathComponent("a"), ["--metrics", metrics.path])
            #expect(run.code == 0, "\(run.stderr)")
            let samples = try Self.samples(metrics)
            #expect(samples["ttusage_last_run_exit_code"] == "0")
            #expect(samples[#"ttusage_last_run_calls{outcome="ok"}"#] == String(await server.counters().keyUsageOK))
            #expect(samples[#"ttusage_last_run_keys{state="complete"}"#] == "12")
            #expect(samples.keys.filter { $0.hasPrefix("ttusage_key_calls{") }.count == 12)
        }
        let first = try Self.samples(metrics)["ttusage_last_success_timestamp_seconds"]
        #expect(first != nil)
        let text = try String(contentsOf: metrics, encoding: .utf8)
        #expect(
            text.contains("# HELP ttusage_key_peak_utilisation_ratio")
                && text.contains("# TYPE ttusage_key_calls gauge"))
        // A label is escaped as the format says: the sample manifest's quoted label.
        #expect(text.contains(#"label="=HYPERLINK(\"http://example.com\")""#), "\(text)")
        let failed = try await CLI.run(
            [
                "export", "--month", "2026-09", "--keys", CLI.sampleManifest.path, "--out",
                directory.appendingPathComponent("b").path, "--base-url", gone, "--metrics", metrics.path,
                "--no-store",
            ], environment: CLI.demoEnvironment)
        #expect(failed.code == 69, "\(failed.stderr)")
        let after = try Self.samples(metrics)
        #expect(after["ttusage_last_run_exit_code"] == "69")
        #expect(after["ttusage_last_success_timestamp_seconds"] == first)
    }

    /// Each run through a store is in its history, newest first.
    @Test func runsListsEveryRunNewestFirst() async throws {
        let directory = try CLI.temporaryDirectory()
        let store = directory.appendingPathComponent("usage.sqlite").path
        try await TTIDSandboxServer.withRunning(Self.sandbox) { server in
            let first = try await Self.export(server, out: directory.appendingPathComponent("a"), ["--store", store])
            let second = try await Self.export(
                server, out: directory.appendingPathComponent("b"), ["--store", store, "--alert", "at-quota"])
            #expect(first.code == 0 && second.code == 3)
        }
        let render = try await CLI.run([
            "render", "--store", store, "--keys", CLI.sampleManifest.path, "--month", "2026-09", "--out",
            directory.appendingPathComponent("c").path, "--format", "csv",
        ])
        #expect(render.code == 0, "\(render.stderr)")
        let listed = try await CLI.run(["runs", "--store", store, "--json"])
        #expect(listed.code == 0, "\(listed.stderr)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 3)
        #expect(runs.map { $0["command"] as? String } == ["render", "export", "export"])
        #expect(runs.map { $0["exit_code"] as? Int } == [0, 3, 0])
        #expect(
            runs.allSatisfy {
                Set($0.keys) == [
                    "started", "finished", "command", "environment", "from", "to", "keys", "calls", "throttled",
                    "exit_code", "out",
                ]
            })
        // The first export made its 12 calls; the second found every day in the store.
        #expect(runs[2]["calls"] as? Int == 12 && runs[1]["calls"] as? Int == 0)
        #expect(runs[1]["from"] as? String == "2026-09-01" && runs[1]["environment"] as? String == "ext_uat_cert")
        let table = try await CLI.run(["runs", "--store", store, "--last", "1"])
        #expect(table.stdout.split(separator: "\n").count == 2, "\(table.stdout)")
    }

    /// A reader polling the file while it is rewritten sees one whole file every time.
    @Test func aReaderNeverSeesAPartialMetricsFile() async throws {
        let directory = try CLI.temporaryDirectory()
        let path = directory.appendingPathComponent("ttusage.prom").path
        var metrics = RunMetrics(
            timestamp: Date(), exitCode: 0, duration: 1, lastSuccess: Date(), callsOK: 1, callsThrottled: 0,
            callsFault: 0)
        metrics.keys = (0..<2_000).map {
            RunMetrics.Key(
                appKey: "key-\($0)", label: "Customer \($0)", calls: $0, peakUtilisation: 0.5, daysAtQuota: 0)
        }
        try metrics.write(to: path)
        let whole = metrics.text
        let reads = Atomic<Int>(0)
        let partial = Atomic<Int>(0)
        let reader = Task.detached {
            while !Task.isCancelled {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                if String(decoding: data, as: UTF8.self) != whole { partial.add(1, ordering: .relaxed) }
                reads.add(1, ordering: .relaxed)
            }
        }
        var writes = 0
        while writes < 50 || (reads.load(ordering: .relaxed) < 50 && writes < 5_000) {
            try metrics.write(to: path)
            writes += 1
        }
        reader.cancel()
        await reader.value
        #expect(reads.load(ordering: .relaxed) >= 50)
        #expect(partial.load(ordering: .relaxed) == 0)
        #expect(CLI.files(in: directory) == ["ttusage.prom"])
    }

    /// The samples of a metrics file by name and labels.
    static func samples(_ url: URL) throws -> [String: String] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var samples: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return samples
    }
}
