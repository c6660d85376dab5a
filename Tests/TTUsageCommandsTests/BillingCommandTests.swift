import Foundation
import TTIDSandbox
import Testing
import UsageCore

@testable import TTUsageCommands

/// Billing end to end over HTTP: a restatement found by `ttusage diff`, month over month taken from the store
/// with no extra call, and `plan` counting the month before.
@Suite("billing: diff, month over month, plan")
struct BillingCommandTests {
    static let keys: [(appKey: String, userId: String, label: String)] = [
        ("b1000001-0000-4000-8000-000000000001", "201", "Acme"),
        ("b1000002-0000-4000-8000-000000000002", "201", "Acme"),
        ("b1000003-0000-4000-8000-000000000003", "202", "Beta"),
        ("b1000004-0000-4000-8000-000000000004", "203", ""),
    ]

    static let rates = """
        currency: USD
        default-plan: standard
        plans:
          standard:
            monthly-fee: "100.00"
            included-calls: 10000
            tiers:
              - up-to: 100000
                per-1000: "0.40"
              - per-1000: "0.25"
          bulk:
            pricing: volume
            tiers:
              - up-to: 50000
                per-1000: "0.30"
              - per-1000: "0.20"
        customers:
          Beta: bulk
        """

    struct Setup {
        var directory: URL
        var keys: URL
        var rates: URL
    }

    static func setUp() throws -> Setup {
        let directory = try CLI.temporaryDirectory()
        let keys = directory.appendingPathComponent("keys.csv")
        try CLI.write(
            "app_key,user_id,label\n"
                + Self.keys.map { "\($0.appKey),\($0.userId),\($0.label)" }.joined(separator: "\n")
                + "\n", to: keys)
        let rates = directory.appendingPathComponent("rates.yaml")
        try CLI.write(Self.rates, to: rates)
        return Setup(directory: directory, keys: keys, rates: rates)
    }

    static func sandbox() -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        return configuration
    }

    static func export(
        _ setup: Setup, month: String, out: URL, server: TTIDSandboxServer, extra: [String] = []
    ) async throws -> CLI.Run {
        try await CLI.run(
            [
                "export", "--month", month, "--keys", setup.keys.path, "--out", out.path, "--rates", setup.rates.path,
                "--template", "monthly-billing", "--format", "csv,json", "--base-url", server.baseURL, "--rate", "0",
            ] + extra, environment: CLI.demoEnvironment)
    }

    /// A CSV file as rows keyed by its header.
    static func table(_ url: URL) throws -> (header: [String], rows: [[String: String]]) {
        let records = try ReportReaders.csvRecords(try Data(contentsOf: url))
        let header = records.first ?? []
        return (header, records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    @Test func diffFindsExactlyTheRestatedDaysAndInvoices() async throws {
        let setup = try Self.setUp()
        let old = setup.directory.appendingPathComponent("sent")
        let new = setup.directory.appendingPathComponent("check")
        let credits = setup.directory.appendingPathComponent("credits")
        var configuration = Self.sandbox()
        // Late usage on an Acme key, a correction to zero on Beta's key; the unlabelled key is untouched.
        func used(_ key: Int, _ day: String) -> Int {
            SandboxUsageModel.usage(appKey: Self.keys[key].appKey, day: day, configuration: configuration).used
        }
        let restated = [(0, "2026-10-05", used(0, "2026-10-05") + 1_234), (2, "2026-10-20", 0)]
        // One service, restating its days between the two exports (diff compares reports of one service).
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let run = try await Self.export(setup, month: "2026-10", out: old, server: server, extra: ["--no-store"])
            #expect(run.code == 0, "\(run.stderr)")
            for (key, day, value) in restated {
                configuration.restatedDays[Self.keys[key].appKey, default: [:]][day] = value
            }
            let changed = configuration
            await server.update { $0 = changed }
            let again = try await Self.export(setup, month: "2026-10", out: new, server: server, extra: ["--no-store"])
            #expect(again.code == 0, "\(again.stderr)")
        }
        #expect(restated.allSatisfy { used($0.0, $0.1) == $0.2 })

        let diff = try await CLI.run(["diff", old.path, new.path, "--out", credits.path])
        #expect(diff.code == 1, "\(diff.stdout)\(diff.stderr)")
        #expect(!diff.stdout.isEmpty)

        let changes = try Self.table(credits.appendingPathComponent("changes.csv"))
        #expect(
            changes.header == [
                "date", "app_key", "user_id", "label", "old_used", "new_used", "delta", "old_status", "new_status",
            ])
        let expected = restated.map { key, day, value -> [String: String] in
            var before = configuration
            before.restatedDays = [:]
            let was = SandboxUsageModel.usage(appKey: Self.keys[key].appKey, day: day, configuration: before).used
            return [
                "date": day, "app_key": Self.keys[key].appKey, "user_id": Self.keys[key].userId,
                "label": Self.keys[key].label, "old_used": String(was), "new_used": String(value),
                "delta": String(value - was), "old_status": "ok", "new_status": "ok",
            ]
        }
        #expect(changes.rows == expected)

        // The invoices that changed, exactly: Acme's and Beta's October, with the amounts each export wrote.
        let before = try Self.table(old.appendingPathComponent("invoices.csv")).rows
        let after = try Self.table(new.appendingPathComponent("invoices.csv")).rows
        let invoiceChanges = try Self.table(credits.appendingPathComponent("invoice-changes.csv"))
        #expect(invoiceChanges.header == ["month", "customer", "old_amount", "new_amount", "delta", "currency"])
        #expect(invoiceChanges.rows.map { $0["customer"] ?? "" } == ["Acme", "Beta"])
        for row in invoiceChanges.rows {
            let customer = row["customer"] ?? ""
            let was = try #require(before.first { $0["customer"] == customer && $0["month"] == "2026-10" })
            let now = try #require(after.first { $0["customer"] == customer && $0["month"] == "2026-10" })
            #expect(row["month"] == "2026-10")
            #expect(row["old_amount"] == was["amount"] && row["new_amount"] == now["amount"])
            let delta =
                try #require(Decimal(string: now["amount"] ?? ""))
                - (try #require(Decimal(string: was["amount"] ?? "")))
            #expect(Decimal(string: row["delta"] ?? "") == delta, "\(customer): \(row["delta"] ?? "")")
            #expect(row["currency"] == "USD")
            #expect(row["old_amount"] != row["new_amount"])
        }

        // A report against itself: the same, exit 0, and no changed row.
        let same = try await CLI.run([
            "diff", old.path, old.appendingPathComponent("report.json").path, "--out",
            setup.directory.appendingPathComponent("none").path,
        ])
        #expect(same.code == 0, "\(same.stdout)\(same.stderr)")
        let none = try Self.table(setup.directory.appendingPathComponent("none/changes.csv"))
        #expect(none.rows.isEmpty)
    }

    @Test func diffExitsLikeDiffOnBadUsageAndBadFiles() async throws {
        let setup = try Self.setUp()
        let broken = setup.directory.appendingPathComponent("broken.json")
        try CLI.write("{\"schemaVersion\": 1, \"days\": [", to: broken)
        let missing = setup.directory.appendingPathComponent("nowhere/report.json").path
        let usage = try await CLI.run(["diff", broken.path])
        #expect(usage.code == 64, "\(usage.stderr)")
        let absent = try await CLI.run(["diff", missing, broken.path])
        #expect(absent.code == 66, "\(absent.stderr)")
        #expect(absent.stderr.contains("nowhere"))
        let invalid = try await CLI.run(["diff", broken.path, broken.path])
        #expect(invalid.code == 65, "\(invalid.stderr)")
        #expect(invalid.stderr.contains("broken.json"))
        #expect(invalid.stderr.split(separator: "\n").count == 1, "\(invalid.stderr)")
    }

    @Test func monthOverMonthComesFromTheStoreWithNoExtraCall() async throws {
        let setup = try Self.setUp()
        let store = setup.directory.appendingPathComponent("usage.sqlite")
        let october = setup.directory.appendingPathComponent("2026-10")
        let november = setup.directory.appendingPathComponent("2026-11")
        try await TTIDSandboxServer.withRunning(Self.sandbox()) { server in
            let extra = ["--store", store.path, "--chunk-days", "31"]
            let first = try await Self.export(setup, month: "2026-10", out: october, server: server, extra: extra)
            #expect(first.code == 0, "\(first.stderr)")
            // September and October: 61 days, 2 chunks of 31 days a key.
            let afterFirst = await server.counters().keyUsageOK
            #expect(afterFirst == 2 * Self.keys.count)
            let second = try await Self.export(setup, month: "2026-11", out: november, server: server, extra: extra)
            #expect(second.code == 0, "\(second.stderr)")
            // October (the month before November) is in the store, settled: only November is fetched.
            let calls = await server.counters().keyUsageOK - afterFirst
            #expect(calls == Self.keys.count, "November cost \(calls) calls")
        }
        let octoberInvoices = try Self.table(october.appendingPathComponent("invoices.csv")).rows
        let novemberInvoices = try Self.table(november.appendingPathComponent("invoices.csv")).rows
        #expect(novemberInvoices.map { $0["month"] } == Array(repeating: "2026-11", count: 3))
        for row in novemberInvoices {
            let customer = row["customer"] ?? ""
            let previous = try #require(octoberInvoices.first { $0["customer"] == customer })
            #expect(row["previous_calls"] == previous["calls"], "\(customer)")
            let calls = try #require(Int(row["calls"] ?? "")), before = try #require(Int(previous["calls"] ?? ""))
            #expect(row["change"] == String(calls - before))
        }
        // A corrected rate card re-prices November with no network at all (the sandbox is stopped), from the saved
        // report.json and from the store, comparing with October as the export did.
        let corrected = setup.directory.appendingPathComponent("corrected.yaml")
        try CLI.write(Self.rates.replacingOccurrences(of: "\"0.40\"", with: "\"0.35\""), to: corrected)
        let fromJSON = setup.directory.appendingPathComponent("repriced")
        let fromStore = setup.directory.appendingPathComponent("repriced-store")
        let rendered = try await CLI.run([
            "render", "--input", november.appendingPathComponent("report.json").path, "--rates", corrected.path,
            "--out", fromJSON.path, "--format", "csv",
        ])
        #expect(rendered.code == 0, "\(rendered.stderr)")
        let offline = try await CLI.run([
            "render", "--store", store.path, "--keys", setup.keys.path, "--month", "2026-11", "--rates",
            corrected.path, "--out", fromStore.path, "--format", "csv",
        ])
        #expect(offline.code == 0, "\(offline.stderr)")
        for folder in [fromJSON, fromStore] {
            let repriced = try Self.table(folder.appendingPathComponent("invoices.csv")).rows
            #expect(repriced.map { $0["previous_calls"] } == novemberInvoices.map { $0["previous_calls"] }, "\(folder)")
            #expect(repriced.map { $0["calls"] } == novemberInvoices.map { $0["calls"] })
            let acme = try #require(repriced.first { $0["customer"] == "Acme" })
            let sent = try #require(novemberInvoices.first { $0["customer"] == "Acme" })
            #expect(acme["amount"] != sent["amount"], "the corrected tier price changes Acme's amount")
            let beta = try #require(repriced.first { $0["customer"] == "Beta" })
            #expect(
                beta["amount"] == novemberInvoices.first { $0["customer"] == "Beta" }?["amount"], "bulk is unchanged")
        }

        // The month before appears in no other table: daily.csv keeps to November.
        let daily = try ReportReaders.csvRecords(try Data(contentsOf: november.appendingPathComponent("daily.csv")))
        #expect(daily.dropFirst().allSatisfy { $0.first?.hasPrefix("2026-11") == true })
        #expect(daily.count - 1 == 30 * Self.keys.count)
    }

    @Test func aBadRateCardExits65WithItsLineBeforeAnyCall() async throws {
        let setup = try Self.setUp()
        try CLI.write(Self.rates.replacingOccurrences(of: "currency: USD", with: "currency: XYZ"), to: setup.rates)
        let out = setup.directory.appendingPathComponent("out")
        try await TTIDSandboxServer.withRunning(Self.sandbox()) { server in
            let run = try await Self.export(setup, month: "2026-10", out: out, server: server, extra: ["--no-store"])
            #expect(run.code == 65, "\(run.stderr)")
            #expect(run.stderr.contains("rate card \(setup.rates.path) line 1: "), "\(run.stderr)")
            #expect(await server.counters().keyUsageRequests == 0)
        }
        #expect(CLI.files(in: out).isEmpty)
    }

    @Test func anIncompleteMonthGetsOneWarningLinePerCustomer() async throws {
        let setup = try Self.setUp()
        let out = setup.directory.appendingPathComponent("out")
        let now = try #require(ISO8601DateFormatter().date(from: "2026-10-17T12:00:00Z"))
        var configuration = Self.sandbox()
        configuration.now = { now }
        try await TTIDSandboxServer.withRunning(configuration) { server in
            // October from the 10th: a partial month for each of the three customers.
            let run = try await CLI.run(
                [
                    "export", "--from", "2026-10-10", "--to", "2026-10-16", "--keys", setup.keys.path, "--out",
                    out.path, "--rates", setup.rates.path, "--format", "csv", "--base-url", server.baseURL,
                    "--rate", "0", "--no-store",
                ], environment: CLI.demoEnvironment)
            #expect(run.code == 0, "\(run.stderr)")
            let warnings = run.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: invoice 2026-10 ") }
            #expect(warnings.count == 3, "\(run.stderr)")
            #expect(warnings.allSatisfy { $0.contains("partial month: 2026-10-10 to 2026-10-16") }, "\(warnings)")
        }
        let rows = try Self.table(out.appendingPathComponent("invoices.csv")).rows
        #expect(rows.count == 3 && rows.allSatisfy { $0["complete"] == "false" })
    }

    @Test func planCountsTheMonthBefore() async throws {
        let setup = try Self.setUp()
        let plain = try await CLI.run(["plan", "--month", "2026-10", "--keys", setup.keys.path, "--chunk-days", "31"])
        let rated = try await CLI.run([
            "plan", "--month", "2026-10", "--keys", setup.keys.path, "--chunk-days", "31", "--rates", setup.rates.path,
        ])
        #expect(plain.code == 0 && rated.code == 0, "\(plain.stderr)\(rated.stderr)")
        #expect(plain.stdout.contains("keyusage calls: \(Self.keys.count) "), "\(plain.stdout)")
        #expect(rated.stdout.contains("keyusage calls: \(2 * Self.keys.count) "), "\(rated.stdout)")
        #expect(rated.stdout.contains("2026-09-01 to 2026-09-30"), "\(rated.stdout)")
        #expect(rated.stdout.contains("\(Self.keys.count) more calls"), "\(rated.stdout)")
        #expect(!plain.stdout.contains("month over month"))
    }
}
