import Foundation
import TTIDSandbox
import Testing
import UsageCore

/// The joins between features: a store shared by two services, a diff of unlike reports, a render that keeps its
/// template, a rate card that names a customer the report lacks, a profile's `~`.
@Suite("Seams between features")
struct SeamsTests {
    static let month = "2026-09"

    static func sandbox(seed: UInt64) -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        configuration.seed = seed
        return configuration
    }

    static func export(
        _ server: TTIDSandboxServer, out: URL, _ extra: [String] = [], environment: [String: String] = [:]
    ) async throws -> CLI.Run {
        try await CLI.run(
            [
                "export", "--month", month, "--keys", CLI.sampleManifest.path, "--out", out.path, "--base-url",
                server.baseURL, "--format", "csv,json",
            ] + extra, environment: CLI.demoEnvironment.merging(environment) { $1 })
    }

    /// One store, two services of one environment name: the second export makes its own calls and reports its
    /// own figures; `plan` without `--base-url` is told to pick one.
    @Test func aStoreNeverAnswersForAServiceItDidNotFetchFrom() async throws {
        let directory = try CLI.temporaryDirectory()
        let store = directory.appendingPathComponent("usage.sqlite").path
        let first = try await TTIDSandboxServer.withRunning(Self.sandbox(seed: 42)) { server in
            let run = try await Self.export(server, out: directory.appendingPathComponent("a"), ["--store", store])
            #expect(run.code == 0, "\(run.stderr)")
            return server.baseURL
        }
        try await TTIDSandboxServer.withRunning(Self.sandbox(seed: 7)) { server in
            let run = try await Self.export(server, out: directory.appendingPathComponent("b"), ["--store", store])
            #expect(run.code == 0, "\(run.stderr)")
            #expect(await server.counters().keyUsageOK == 12)
            let daily = try String(contentsOf: directory.appendingPathComponent("b/daily.csv"), encoding: .utf8)
            for line in daily.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 7, fields[6] == "ok" else { continue }
                let appKey = fields[1]
                let expected = SandboxUsageModel.usage(appKey: appKey, day: fields[0], seed: 7)
                #expect(fields[4] == String(expected.used), "\(line)")
            }
            let plan = try await CLI.run([
                "plan", "--month", Self.month, "--keys", CLI.sampleManifest.path, "--store", store,
            ])
            #expect(plan.code == 64, "\(plan.stderr)")
            #expect(plan.stderr.contains(first) && plan.stderr.contains(server.baseURL), "\(plan.stderr)")
            let picked = try await CLI.run([
                "plan", "--month", Self.month, "--keys", CLI.sampleManifest.path, "--store", store, "--base-url", first,
            ])
            #expect(picked.code == 0, "\(picked.stderr)")
            #expect(picked.stdout.contains("keyusage calls: 0 "), "\(picked.stdout)")
        }
    }

    /// A run against the sandbox keeps nothing in the default store.
    @Test func aSandboxRunKeepsNothingInTheDefaultStore() async throws {
        let directory = try CLI.temporaryDirectory()
        let data = directory.appendingPathComponent("xdg-data")
        try await TTIDSandboxServer.withRunning(Self.sandbox(seed: 42)) { server in
            let run = try await Self.export(
                server, out: directory.appendingPathComponent("a"), environment: ["XDG_DATA_HOME": data.path])
            #expect(run.code == 0, "\(run.stderr)")
            #expect(run.stderr.contains("kept in no store"), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("ttusage/usage.sqlite").path))
    }

    @Test func diffRefusesReportsOfTwoEnvironments() async throws {
        let directory = try CLI.temporaryDirectory()
        try await TTIDSandboxServer.withRunning(Self.sandbox(seed: 42)) { server in
            let live = try await Self.export(
                server, out: directory.appendingPathComponent("live"), ["--environment", "ext_prod_live"])
            let uat = try await Self.export(server, out: directory.appendingPathComponent("uat"))
            #expect(live.code == 0 && uat.code == 0)
        }
        let diff = try await CLI.run([
            "diff", directory.appendingPathComponent("live").path, directory.appendingPathComponent("uat").path,
        ])
        #expect(diff.code == 65, "\(diff.stderr)")
        #expect(diff.stderr.contains("ext_prod_live") && diff.stderr.contains("ext_uat_cert"), "\(diff.stderr)")
    }

    /// `render --rates` of a billing report keeps the billing template: its invoices and billing tables stay.
    @Test func renderWithARateCardKeepsTheReportsTemplate() async throws {
        let directory = try CLI.temporaryDirectory()
        let rates = URL(fileURLWithPath: CLI.sampleManifest.deletingLastPathComponent().path)
            .appendingPathComponent("rates.example.yaml")
        try await TTIDSandboxServer.withRunning(Self.sandbox(seed: 42)) { server in
            let run = try await Self.export(
                server, out: directory.appendingPathComponent("billing"), ["--template", "monthly-billing"])
            #expect(run.code == 0, "\(run.stderr)")
        }
        let billingFiles = CLI.files(in: directory.appendingPathComponent("billing"))
        let render = try await CLI.run([
            "render", "--input", directory.appendingPathComponent("billing").path, "--rates", rates.path, "--out",
            directory.appendingPathComponent("priced").path, "--format", "csv,json",
        ])
        #expect(render.code == 0, "\(render.stderr)")
        let priced = CLI.files(in: directory.appendingPathComponent("priced"))
        #expect(priced.contains("invoices.csv"))
        // Every table of the billing report is still there, priced.
        #expect(Set(billingFiles).isSubset(of: Set(priced)), "\(billingFiles) \(priced)")
        let json = try String(
            contentsOf: directory.appendingPathComponent("priced/report.json"), encoding: .utf8)
        #expect(json.contains(#""template": "monthly-billing""#))
    }

    @Test func aRateCardCustomerThatMatchesNoneIsNamed() async throws {
        let directory = try CLI.temporaryDirectory()
        let card = directory.appendingPathComponent("rates.yaml")
        try CLI.write(
            """
            currency: USD
            default-plan: standard
            plans:
              standard:
                monthly-fee: "250.00"
              enterprise:
                monthly-fee: "1000.00"
            customers:
              "Acme Capitol": enterprise
            """, to: card)
        try await TTIDSandboxServer.withRunning(Self.sandbox(seed: 42)) { server in
            let run = try await Self.export(
                server, out: directory.appendingPathComponent("a"), ["--rates", card.path])
            #expect(run.code == 0, "\(run.stderr)")
            #expect(
                run.stderr.contains(#"customer "Acme Capitol" is no customer of this report"#)
                    && run.stderr.contains(#"did you mean "Acme Capital"?"#), "\(run.stderr)")
        }
    }

    /// `~` in a profile is `$HOME`, and `plan` uses the profile's store as `export` does.
    @Test func aProfilesTildeIsHomeAndPlanUsesItsStore() async throws {
        let directory = try CLI.temporaryDirectory()
        let home = directory.appendingPathComponent("home")
        let config = directory.appendingPathComponent("config/ttusage")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try await TTIDSandboxServer.withRunning(Self.sandbox(seed: 42)) { server in
            try CLI.write(
                """
                profiles:
                  sandbox:
                    base-url: \(server.baseURL)
                    store: ~/stores/usage.sqlite
                """, to: config.appendingPathComponent("config.yaml"))
            let environment = ["HOME": home.path, "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path]
            let run = try await Self.export(
                server, out: directory.appendingPathComponent("a"), ["--profile", "sandbox"], environment: environment)
            #expect(run.code == 0, "\(run.stderr)")
            let store = home.appendingPathComponent("stores/usage.sqlite").path
            #expect(FileManager.default.fileExists(atPath: store))
            let plan = try await CLI.run(
                ["plan", "--month", Self.month, "--keys", CLI.sampleManifest.path, "--profile", "sandbox"],
                environment: environment)
            #expect(plan.code == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("from the store \(store)"), "\(plan.stdout)")
            #expect(plan.stdout.contains("keyusage calls: 0 "), "\(plan.stdout)")
        }
    }

    /// A store with pages overwritten by random bytes: export, plan and render refuse it with 65, and it is the
    /// same file byte for byte after each.
    @Test func aDamagedStoreIsLeftByteForByte() async throws {
        let directory = try CLI.temporaryDirectory()
        let store = directory.appendingPathComponent("usage.sqlite")
        try await TTIDSandboxServer.withRunning(Self.sandbox(seed: 42)) { server in
            let run = try await CLI.run(
                [
                    "export", "--from", "2025-01-01", "--to", "2025-12-31", "--keys", CLI.sampleManifest.path, "--out",
                    directory.appendingPathComponent("a").path, "--base-url", server.baseURL, "--format", "csv",
                    "--store", store.path,
                ], environment: CLI.demoEnvironment)
            #expect(run.code == 0, "\(run.stderr)")
            var bytes = try Data(contentsOf: store)
            #expect(bytes.count > 40 * 4096)
            for offset in (29 * 4096)..<(37 * 4096) { bytes[offset] = UInt8.random(in: 0...255) }
            try bytes.write(to: store)
            let commands: [[String]] = [
                [
                    "export", "--month", Self.month, "--keys", CLI.sampleManifest.path, "--out",
                    directory.appendingPathComponent("b").path, "--base-url", server.baseURL, "--store", store.path,
                ],
                [
                    "plan", "--month", Self.month, "--keys", CLI.sampleManifest.path, "--store", store.path,
                    "--base-url", server.baseURL,
                ],
                [
                    "render", "--store", store.path, "--keys", CLI.sampleManifest.path, "--month", Self.month, "--out",
                    directory.appendingPathComponent("c").path, "--base-url", server.baseURL,
                ],
            ]
            for command in commands {
                let refused = try await CLI.run(command, environment: CLI.demoEnvironment)
                #expect(refused.code == 65, "\(command[0]): \(refused.stderr)")
                #expect(refused.stderr.contains("left untouched"), "\(command[0]): \(refused.stderr)")
                #expect(try Data(contentsOf: store) == bytes, "\(command[0]) changed the store")
            }
        }
    }
}
