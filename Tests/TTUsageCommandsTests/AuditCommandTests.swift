import Foundation
import TTIDSandbox
import TTUsageTestSupport
import Testing
import UsageCore

@testable import TTUsageCommands

/// The quota audit end to end: `ttusage export --template quota-audit` against the sandbox over HTTP, whose keys
/// play the kinds of key the audit must tell apart; the files read back with independent readers.
@Suite("quota audit and --alert, end to end")
struct AuditCommandTests {
    static let from = "2026-07-01"
    static let to = "2026-09-13"
    static let jumpDay = "2026-08-20"
    static let changeDay = "2026-08-01"
    static let startDay = "2026-07-20"
    static let plans = [10_000, 15_000, 30_000, 75_000]

    struct Kind {
        var label: String
        var appKey: String
        var profile: SandboxKeyProfile?
        var limit: Int?
    }

    static let kinds: [Kind] = [
        Kind(
            label: "high-tenth", appKey: "a0000001-0000-4000-8000-000000000001", profile: .steady(share: 0.1),
            limit: 75_000),
        Kind(
            label: "at-quota", appKey: "a0000002-0000-4000-8000-000000000002", profile: .atQuota(share: 0.7),
            limit: 15_000),
        Kind(
            label: "jump", appKey: "a0000003-0000-4000-8000-000000000003",
            profile: .jump(day: jumpDay, before: 200...800), limit: nil),
        Kind(label: "silent", appKey: "a0000004-0000-4000-8000-000000000004", profile: .silent, limit: nil),
        Kind(
            label: "limit-change", appKey: "a0000005-0000-4000-8000-000000000005",
            profile: .limitChange(day: changeDay, limit: 30_000, share: 0.5), limit: nil),
        Kind(
            label: "starts-late", appKey: "a0000006-0000-4000-8000-000000000006",
            profile: .startsOn(day: startDay, share: 0.3), limit: nil),
    ]
    static let refused = Kind(
        label: "refused", appKey: "a0000007-0000-4000-8000-000000000007", profile: nil, limit: nil)

    static func sandbox(_ kinds: [Kind]) -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.rate = nil
        configuration.dailyQuota = nil
        for kind in kinds {
            if let profile = kind.profile { configuration.keyProfiles[kind.appKey] = profile }
            if let limit = kind.limit { configuration.dailyLimits[kind.appKey] = limit }
        }
        return configuration
    }

    static func manifest(_ kinds: [Kind], in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("keys.csv")
        let rows = kinds.enumerated().map { "\($1.appKey),\(100 + $0),\($1.label)" }
        try CLI.write("app_key,user_id,label\n" + rows.joined(separator: "\n") + "\n", to: url)
        return url
    }

    /// A CSV file as records keyed by header.
    static func table(_ url: URL) throws -> (header: [String], rows: [[String: String]]) {
        let records = try ReportReaders.csvRecords(Data(contentsOf: url))
        let header = try #require(records.first)
        return (header, records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    /// daily.csv's rows of one key: (date, used, remaining).
    static func daily(_ out: URL, appKey: String) throws -> [(date: String, used: Int, remaining: Int)] {
        try daily(out)[appKey] ?? []
    }

    /// daily.csv's rows by app key, read once: (date, used, remaining).
    static func daily(_ out: URL) throws -> [String: [(date: String, used: Int, remaining: Int)]] {
        var byKey: [String: [(date: String, used: Int, remaining: Int)]] = [:]
        for row in try table(out.appendingPathComponent("daily.csv")).rows {
            guard let key = row["app_key"], let used = Int(row["used"] ?? ""),
                let remaining = Int(row["remaining"] ?? "")
            else { continue }
            byKey[key, default: []].append((row["date"] ?? "", used, remaining))
        }
        return byKey
    }

    func export(_ kinds: [Kind], refused: [Kind] = [], extra: [String]) async throws -> (CLI.Run, URL) {
        let directory = try CLI.temporaryDirectory()
        let keys = try Self.manifest(kinds + refused, in: directory)
        var configuration = Self.sandbox(kinds)
        configuration.refusedKeys = Set(refused.map(\.appKey))
        let out = directory.appendingPathComponent("out")
        let run = try await TTIDSandboxServer.withRunning(configuration) { server in
            try await CLI.run(
                [
                    "export", "--from", Self.from, "--to", Self.to, "--keys", keys.path, "--out", out.path,
                    "--base-url", server.baseURL, "--rate", "0", "--no-store", "--template", "quota-audit", "--quiet",
                ] + extra, environment: CLI.demoEnvironment)
        }
        return (run, out)
    }

    @Test func eachKindOfKeyGetsItsPlanRecommendationAndFlags() async throws {
        let (run, out) = try await export(Self.kinds, refused: [Self.refused], extra: ["--format", "csv,json,xlsx"])
        #expect(run.code == 2, "a refused key: \(run.stderr)")
        let (header, rows) = try Self.table(out.appendingPathComponent("key-audit.csv"))
        #expect(
            header.joined(separator: ",")
                == "app_key,user_id,label,daily_limit,plan,recommended_plan,days_reported,days_at_quota,peak_used,"
                + "peak_utilisation,anomaly_days,first_anomaly,dormant,new,flags,reason")
        let byLabel = Dictionary(uniqueKeysWithValues: rows.map { ($0["label"] ?? "", $0) })
        func smallestPlan(peak: Int) -> Int { Self.plans.first { Double(peak) <= 0.8 * Double($0) } ?? 75_000 }

        let tenth = try #require(byLabel["high-tenth"])
        let tenthPeak = try Self.daily(out, appKey: Self.kinds[0].appKey).map(\.used).max() ?? -1
        #expect(tenth["daily_limit"] == "75000" && tenth["plan"] == "high")
        #expect(tenth["peak_used"] == String(tenthPeak))
        #expect(
            tenth["recommended_plan"] == ["free", "low"][Self.plans.firstIndex(of: smallestPlan(peak: tenthPeak)) ?? 9])
        #expect(tenth["reason"]?.hasPrefix("down to ") == true)
        #expect(tenth["flags"] == "")

        let quota = try #require(byLabel["at-quota"])
        let quotaDays = try Self.daily(out, appKey: Self.kinds[1].appKey)
        #expect(quota["plan"] == "low" && quota["recommended_plan"] == "medium")
        #expect(quota["days_at_quota"] == String(quotaDays.filter { $0.remaining == 0 }.count))
        #expect(quotaDays.filter { $0.remaining == 0 }.count * 2 > quotaDays.count, "at quota most days")
        #expect(quota["flags"] == "at-quota")
        #expect(quota["reason"]?.contains("demand on those days unknown") == true)

        let jump = try #require(byLabel["jump"])
        #expect(jump["plan"] == "free" && jump["recommended_plan"] == "low")
        #expect(jump["flags"] == "at-quota;anomaly")
        #expect(jump["first_anomaly"] == Self.jumpDay)
        // Every day from the jump on stands out against the weeks before it (a run is judged against the window
        // before its first day).
        let jumpDays = try Self.daily(out, appKey: Self.kinds[2].appKey).filter { $0.date >= Self.jumpDay }
        #expect(jumpDays.count == 25)
        #expect(jump["anomaly_days"] == String(jumpDays.count))
        #expect(jump["reason"]?.contains("anomaly from \(Self.jumpDay): 10,000 calls") == true)

        let silent = try #require(byLabel["silent"])
        #expect(silent["plan"] == "free" && silent["recommended_plan"] == "free" && silent["peak_used"] == "0")
        #expect(silent["dormant"] == "yes" && silent["flags"] == "dormant")

        let change = try #require(byLabel["limit-change"])
        let changeDays = try Self.daily(out, appKey: Self.kinds[4].appKey)
        let before = changeDays.filter { $0.date < Self.changeDay }
        #expect(before.allSatisfy { $0.used + $0.remaining == 10_000 } && !before.isEmpty)
        #expect(change["daily_limit"] == (before.count * 2 > changeDays.count ? "10000" : "30000"))
        #expect(change["flags"] == "plan-change")
        #expect(change["recommended_plan"] == "medium")
        #expect(change["reason"]?.contains("limit 10,000 → 30,000 on \(Self.changeDay)") == true)

        let late = try #require(byLabel["starts-late"])
        #expect(late["new"] == "yes" && late["flags"] == "new" && late["anomaly_days"] == "0")

        let refused = try #require(byLabel["refused"])
        #expect(refused["flags"] == "no-data" && refused["daily_limit"] == "")
        #expect(refused["reason"]?.contains("refused") == true)

        // report.json carries the same audit, typed; the workbook a sheet with the flagged rows highlighted.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json")))
        let audit = (json as? [String: Any])?["keyAudit"] as? [String: Any]
        let keys = try #require(audit?["keys"] as? [[String: Any]])
        #expect(keys.count == 7)
        #expect((keys[2]["flags"] as? [String]) == ["at-quota", "anomaly"])
        #expect((keys[2]["anomaly"] as? [String: Any])?["first"] as? String == Self.jumpDay)
        #expect(keys[0]["recommendation"] as? String == "down")
        let workbook = try XLSXReader(url: out.appendingPathComponent("report.xlsx"))
        let sheet = try #require(workbook.sheet("Key audit"))
        #expect(sheet.cell(0, 0)?.text == "app_key")
        #expect(sheet.cell(3, 2)?.text == "jump")
        #expect(sheet.cell(3, 14)?.text == "at-quota;anomaly")
    }

    @Test func alertsExit3WithAlertsCSVAndALinePerAlert() async throws {
        let rules = "at-quota,anomaly,dormant,new,plan-change,utilisation>=0.5"
        let (run, out) = try await export(Self.kinds, extra: ["--format", "csv,json", "--alert", rules])
        #expect(run.code == 3, "\(run.stderr)")
        let (header, rows) = try Self.table(out.appendingPathComponent("alerts.csv"))
        #expect(header.joined(separator: ",") == "app_key,user_id,label,rule,date,detail")
        let pairs = Set(rows.map { "\($0["label"] ?? "") \($0["rule"] ?? "")" })
        #expect(
            pairs == [
                "at-quota at-quota", "at-quota utilisation>=0.5", "jump at-quota", "jump anomaly",
                "jump utilisation>=0.5", "silent dormant", "limit-change plan-change", "limit-change utilisation>=0.5",
                "starts-late new",
            ])
        #expect(rows.first { $0["label"] == "jump" && $0["rule"] == "anomaly" }?["date"] == Self.jumpDay)
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("alert: ") }
        #expect(lines.count == rows.count)
        #expect(lines.contains { $0.hasPrefix("alert: anomaly: \(Self.kinds[2].appKey) (jump) \(Self.jumpDay): ") })

        // render re-audits the saved report with no network, and says the same.
        let again = out.deletingLastPathComponent().appendingPathComponent("again")
        let render = try await CLI.run([
            "render", "--input", out.appendingPathComponent("report.json").path, "--out", again.path,
            "--template", "quota-audit", "--format", "csv", "--alert", rules, "--quiet",
        ])
        #expect(render.code == 3, "\(render.stderr)")
        let rerendered = try Self.table(again.appendingPathComponent("alerts.csv")).rows
        #expect(rerendered == rows)
        // Without --alert the exit code is what it was, and no alerts.csv is written.
        let plain = out.deletingLastPathComponent().appendingPathComponent("plain")
        let quiet = try await CLI.run([
            "render", "--input", out.appendingPathComponent("report.json").path, "--out", plain.path,
            "--template", "quota-audit", "--format", "csv", "--quiet",
        ])
        #expect(quiet.code == 0)
        #expect(!CLI.files(in: plain).contains("alerts.csv") && CLI.files(in: plain).contains("key-audit.csv"))
    }

    @Test func aRefusedKeyExits2EvenWhenAlertsAreRaised() async throws {
        let (run, out) = try await export(
            Self.kinds, refused: [Self.refused], extra: ["--format", "csv", "--alert", "at-quota"])
        #expect(run.code == 2, "\(run.stderr)")
        let rows = try Self.table(out.appendingPathComponent("alerts.csv")).rows
        #expect(Set(rows.compactMap { $0["label"] }) == ["at-quota", "jump"])
        #expect(run.stderr.contains("alert: at-quota: "))
    }

    @Test func aBadAlertRuleOrThresholdIsBadUsage() async throws {
        for extra in [["--alert", "at-quota,leak"], ["--alert", "utilisation>=1.5"], ["--anomaly", "z=-1"]] {
            let (run, out) = try await export(Array(Self.kinds.prefix(1)), extra: extra)
            #expect(run.code == 64, "\(extra): \(run.stderr)")
            #expect(run.stderr.contains(extra[0]), "\(run.stderr)")
            #expect(!CLI.files(in: out).contains("daily.csv"))
        }
    }

    @Test func ordinaryKeysRaiseNoAnomalyOnAtLeast19In20AndJumpsAreCaught() async throws {
        var population: [Kind] = (0..<40).map { index in
            Kind(
                label: "ordinary-\(index)", appKey: String(format: "b%07x-0000-4000-8000-%012x", index, index),
                profile: .ordinary, limit: Self.plans[index % 4])
        }
        population.append(Self.kinds[2])
        population.append(
            Kind(
                label: "jump-medium", appKey: "c0000001-0000-4000-8000-000000000001",
                profile: .jump(day: "2026-09-01", before: 300...900), limit: 30_000))
        let (run, out) = try await export(population, extra: ["--format", "csv"])
        #expect(run.code == 0, "\(run.stderr)")
        // The population is what it claims: usage within the plan, some days at zero, the odd day at quota.
        var zeroDays = 0
        var quotaDays = 0
        var reported = 0
        let daily = try Self.daily(out)
        for kind in population.prefix(40) {
            let days = daily[kind.appKey] ?? []
            reported += days.count
            zeroDays += days.filter { $0.used == 0 }.count
            quotaDays += days.filter { $0.remaining == 0 }.count
            #expect(days.allSatisfy { $0.used + $0.remaining == kind.limit })
        }
        #expect(zeroDays > reported / 30 && quotaDays > 0 && quotaDays < reported / 20)
        let rows = try Self.table(out.appendingPathComponent("key-audit.csv")).rows
        let flagged = rows.filter {
            ($0["label"] ?? "").hasPrefix("ordinary") && $0["flags"]?.contains("anomaly") == true
        }
        #expect(flagged.count * 20 <= 40, "anomalies on ordinary keys: \(flagged.map { $0["label"] ?? "" })")
        #expect(rows.first { $0["label"] == "jump" }?["first_anomaly"] == Self.jumpDay)
        #expect(rows.first { $0["label"] == "jump-medium" }?["first_anomaly"] == "2026-09-01")
    }

    @Test func theForecastOfTheMonthInProgressHoldsTheWholeMonthInItsRange() async throws {
        // The sandbox's "today" and the tool's are 2026-10-17, 12:00 UTC: October is in progress.
        let now = try #require(ISO8601DateFormatter().date(from: "2026-10-17T12:00:00Z"))
        let today = Day(containing: now)
        let kinds = [
            Kind(
                label: "steady", appKey: "d0000001-0000-4000-8000-000000000001", profile: .steady(share: 0.4),
                limit: 15_000),
            Kind(label: "ordinary", appKey: "d0000002-0000-4000-8000-000000000002", profile: .ordinary, limit: nil),
            Kind(
                label: "ordinary-2", appKey: "d0000003-0000-4000-8000-000000000003", profile: .ordinary,
                limit: 30_000),
            Kind(label: "silent", appKey: "d0000004-0000-4000-8000-000000000004", profile: .silent, limit: nil),
        ]
        let directory = try CLI.temporaryDirectory()
        let keys = try Self.manifest(kinds, in: directory)
        let credentials = directory.appendingPathComponent("credentials")
        let credential = SandboxConfiguration.demoCredential
        try CLI.write("TT_APP_KEY=\(credential.appKey)\nTT_APP_SECRET=\(credential.secret)\n", to: credentials)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: credentials.path)
        var configuration = Self.sandbox(kinds)
        configuration.now = { now }
        let out = directory.appendingPathComponent("out")
        try await TTIDSandboxServer.withRunning(configuration) { server in
            let job = try await Export.parse([
                "--from", "2026-08-01", "--to", "2026-10-17", "--keys", keys.path, "--out", out.path,
                "--base-url", server.baseURL, "--rate", "0", "--no-store", "--template", "quota-audit",
                "--format", "csv,json", "--credentials", credentials.path, "--quiet",
            ]).makeJob(today: today)
            #expect(try await job.run().exitCode == 0)
        }
        let rows = try Self.table(out.appendingPathComponent("month-forecast.csv")).rows
        #expect(rows.count == kinds.count)
        var truthTotal = 0
        for kind in kinds {
            let row = try #require(rows.first { $0["label"] == kind.label })
            // What the whole month will have been: every day of October from the sandbox's own model.
            let truth = (1...31).reduce(0) { sum, day in
                sum
                    + SandboxUsageModel.usage(
                        appKey: kind.appKey, day: String(format: "2026-10-%02d", day), configuration: configuration
                    ).used
            }
            truthTotal += truth
            let low = try #require(Int(row["projected_low"] ?? ""))
            let high = try #require(Int(row["projected_high"] ?? ""))
            let projected = try #require(Int(row["projected_calls"] ?? ""))
            #expect(row["month"] == "2026-10" && row["days_settled"] == "16")
            #expect(low <= projected && projected <= high)
            #expect(low <= truth && truth <= high, "\(kind.label): \(truth) outside \(low)…\(high)")
            let settled = try Self.daily(out, appKey: kind.appKey).filter { $0.date >= "2026-10-01" }
            #expect(row["calls_so_far"] == String(settled.map(\.used).reduce(0, +)))
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json")))
        let total = ((json as? [String: Any])?["keyAudit"] as? [String: Any])?["forecastTotal"] as? [String: Any]
        let low = try #require(total?["projectedLow"] as? Int)
        let high = try #require(total?["projectedHigh"] as? Int)
        #expect(low <= truthTotal && truthTotal <= high)
    }
}
