import Foundation
import TTIDSandbox
import TTUsageTestSupport
import Testing
import UsageCore

@testable import TTUsageCommands

/// The audit's rules held on a population built in the sandbox and fetched over HTTP: 50 ordinary keys and 50
/// keys idle on half their days, on every plan, leaks to the limit and leaks that triple a key's usage under its
/// limit, a key whose first call is weeks into a range that starts on a Sunday (an idle day for many keys).
@Suite("audit rules on a sandbox population, end to end")
struct AuditPopulationTests {
    typealias Kind = AuditCommandTests.Kind

    /// A Sunday, as in the range a new user tried: many ordinary keys make no call on its first day.
    static let from = "2026-02-15"
    static let to = "2026-05-20"
    static let lateStart = "2026-03-10"
    static let plans = AuditCommandTests.plans

    static func key(_ prefix: String, _ index: Int) -> String {
        String(format: "%@%06x-0000-4000-8000-%012x", prefix, index, index)
    }

    static let ordinary: [Kind] = (0..<50).map {
        Kind(label: "ordinary-\($0)", appKey: key("e1", $0), profile: .ordinary, limit: plans[$0 % 4])
    }
    static let idle: [Kind] = (0..<50).map {
        Kind(
            label: "idle-\($0)", appKey: key("e2", $0), profile: .idleHalf(share: 0.3 + 0.1 * Double($0 % 6)),
            limit: plans[($0 + 1) % 4])
    }
    /// Leaks to the limit (from 200-800 calls a day) and leaks to three times the usual under the limit, each
    /// starting on a weekday, one of each on every plan.
    static let leakDays = ["2026-04-07", "2026-04-15", "2026-04-21", "2026-05-05"]
    static let tripleDays = ["2026-04-08", "2026-04-14", "2026-04-20", "2026-04-28"]
    static let leaks: [Kind] =
        leakDays.enumerated().map { index, day in
            Kind(
                label: "leak-\(index)", appKey: key("e3", index), profile: .jump(day: day, before: 200...800),
                limit: plans[index])
        }
        + tripleDays.enumerated().map { index, day in
            Kind(
                label: "triple-\(index)", appKey: key("e4", index),
                profile: .leak(day: day, share: 0.12, factor: 3), limit: plans[index])
        }
    static let late = Kind(
        label: "starts-late", appKey: key("e5", 0), profile: .startsOn(day: lateStart, share: 0.3), limit: 15_000)

    static var population: [Kind] { ordinary + idle + leaks + [late] }

    func export(_ kinds: [Kind], extra: [String]) async throws -> (CLI.Run, URL) {
        let directory = try CLI.temporaryDirectory()
        let keys = try AuditCommandTests.manifest(kinds, in: directory)
        let out = directory.appendingPathComponent("out")
        let run = try await TTIDSandboxServer.withRunning(AuditCommandTests.sandbox(kinds)) { server in
            try await CLI.run(
                [
                    "export", "--from", Self.from, "--to", Self.to, "--keys", keys.path, "--out", out.path,
                    "--base-url", server.baseURL, "--rate", "0", "--no-store", "--template", "quota-audit",
                ] + extra, environment: CLI.demoEnvironment)
        }
        return (run, out)
    }

    @Test func newAnomalyAndTheAttentionListHoldOnThePopulation() async throws {
        let (run, out) = try await export(
            Self.population, extra: ["--format", "csv,html", "--alert", "anomaly,at-quota,new", "--quiet"])
        #expect(run.code == 3, "\(run.stderr)")
        let daily = try AuditCommandTests.daily(out)
        let rows = try AuditCommandTests.table(out.appendingPathComponent("key-audit.csv")).rows
        let byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0["app_key"] ?? "", $0) })
        // key-audit.csv stays one row per key in manifest order.
        #expect(rows.map { $0["app_key"] ?? "" } == Self.population.map(\.appKey))

        // The population is what it claims.
        let quietFirstDay = (Self.ordinary + Self.idle).filter { daily[$0.appKey]?.first?.used == 0 }
        #expect(quietFirstDay.count >= 5, "keys idle on the first day: \(quietFirstDay.count)")
        for kind in Self.idle {
            let days = daily[kind.appKey] ?? []
            let idleDays = days.filter { $0.used < 50 }.count
            #expect(
                idleDays * 100 >= days.count * 35 && idleDays * 100 <= days.count * 65,
                "\(kind.label): \(idleDays) of \(days.count) idle: \(days.prefix(12).map(\.used))")
        }
        for (kind, day) in zip(Self.leaks.suffix(4), Self.tripleDays) {
            let days = daily[kind.appKey] ?? []
            let before = days.filter { $0.date < day }.suffix(28)
            let after = days.filter { $0.date >= day }
            let meanBefore = Double(before.map(\.used).reduce(0, +)) / Double(max(before.count, 1))
            let meanAfter = Double(after.map(\.used).reduce(0, +)) / Double(max(after.count, 1))
            #expect(after.allSatisfy { $0.remaining > 0 }, "\(kind.label) stays under its limit")
            #expect(meanAfter > 2.5 * meanBefore, "\(kind.label): \(meanBefore) → \(meanAfter)")
        }

        // 1. New means new: no ordinary or idle key, however quiet its first days; the late starter is.
        let newKeys = (Self.ordinary + Self.idle).filter { byKey[$0.appKey]?["new"] == "yes" }
        #expect(newKeys.isEmpty, "flagged new: \(newKeys.map(\.label))")
        #expect(byKey[Self.late.appKey]?["new"] == "yes")
        #expect(byKey[Self.late.appKey]?["flags"]?.split(separator: ";").contains("new") == true)

        // 2. Anomalies: at most 1 key in 50 of the ordinary and idle keys; every leak on its first or second day.
        let anomalous = (Self.ordinary + Self.idle).filter { byKey[$0.appKey]?["anomaly_days"] != "0" }
        #expect(anomalous.count * 50 <= 100, "anomalies: \(anomalous.map(\.label))")
        for (kind, day) in zip(Self.leaks, Self.leakDays + Self.tripleDays) {
            let next = (Day(iso: day)?.adding(days: 1)).map(\.description) ?? ""
            let first = byKey[kind.appKey]?["first_anomaly"] ?? ""
            #expect(first == day || first == next, "\(kind.label) from \(day): first anomaly \(first)")
        }

        // 3. The urgent thing first: alerts.csv and standard error lead with the leaks.
        let alerts = try AuditCommandTests.table(out.appendingPathComponent("alerts.csv")).rows
        let rules = alerts.map { $0["rule"] ?? "" }
        let firstOther = rules.firstIndex { $0 != "anomaly" } ?? rules.count
        #expect(rules.prefix(firstOther).count >= Self.leaks.count && !rules[firstOther...].contains("anomaly"))
        #expect(rules.last == "new")
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("alert: ") }
        #expect(lines.first?.hasPrefix("alert: anomaly: ") == true, "\(lines.first ?? "")")
        #expect(lines.count <= 8, "grouped alert lines: \(lines)")
        #expect(lines.contains { $0.hasPrefix("alert: at-quota: ") && $0.contains(" keys, the largest ") })

        // The page's attention list, read with a parser: the leak first, grouped lines, at most 15.
        let page = try XMLTree(data: Data(contentsOf: out.appendingPathComponent("report.html")))
        let section = try #require(page.all("section").first { $0["id"] == "attention" })
        let items = section.descendants.filter { $0.name == "li" }
        let classes = items.map { Set(($0["class"] ?? "").split(separator: " ").map(String.init)) }
        #expect(!items.isEmpty && items.count <= 15, "\(items.count) lines")
        #expect(classes.first?.contains("anomaly") == true, "first line: \(items.first?.text ?? "")")
        #expect(items.first?.text.contains("Possible leak") == true)
        let leakNames = Self.leaks.map(\.label)
        #expect(leakNames.filter { name in items.first?.text.contains(name) == true }.count == 3)
        let grouped = items.enumerated().filter { classes[$0.offset].contains("group") }
        #expect(grouped.count >= 2, "grouped lines: \(grouped.map(\.element.text))")
        let quota = try #require(items.first { $0.text.contains(" keys") && $0.text.contains("at quota on 1 to ") })
        #expect(quota.text.contains("see Key audit"))
        // The order: leaks, then keys at quota, then new keys.
        let ranks = classes.compactMap { set in ["anomaly", "at-quota", "new"].firstIndex { set.contains($0) } }
        #expect(ranks == ranks.sorted(), "\(items.map(\.text))")
    }

    @Test func aStoreTellsANewKeyFromAQuietOne() async throws {
        // A key that called all February and is quiet for the first 20 days of March, and one whose first call
        // ever is on March 5.
        let quiet = Kind(
            label: "quiet-then-busy", appKey: Self.key("e6", 0), profile: .steady(share: 0.3), limit: 10_000)
        let fresh = Kind(
            label: "first-call-march-5", appKey: Self.key("e6", 1), profile: .startsOn(day: "2026-03-05", share: 0.3),
            limit: 10_000)
        var configuration = AuditCommandTests.sandbox([quiet, fresh])
        configuration.restatedDays[quiet.appKey] = Dictionary(
            uniqueKeysWithValues: (1...20).map { (String(format: "2026-03-%02d", $0), 0) })
        let directory = try CLI.temporaryDirectory()
        let keys = try AuditCommandTests.manifest([quiet, fresh], in: directory)
        let store = directory.appendingPathComponent("usage.sqlite").path
        // One service for every export: the store keeps each service's days apart.
        try await TTIDSandboxServer.withRunning(configuration) { server in
            func export(_ from: String, _ to: String, _ name: String, store: [String]) async throws -> URL {
                let out = directory.appendingPathComponent(name)
                let run = try await CLI.run(
                    [
                        "export", "--from", from, "--to", to, "--keys", keys.path, "--out", out.path, "--base-url",
                        server.baseURL, "--rate", "0", "--template", "quota-audit", "--format", "csv,json", "--quiet",
                    ] + store, environment: CLI.demoEnvironment)
                #expect(run.code == 0, "\(run.stderr)")
                return out
            }
            func flags(_ out: URL) throws -> [String: String] {
                let rows = try AuditCommandTests.table(out.appendingPathComponent("key-audit.csv")).rows
                return Dictionary(uniqueKeysWithValues: rows.map { ($0["label"] ?? "", $0["new"] ?? "") })
            }
            // Without a store only the range is known: 20 quiet days make the first key new, 4 do not the second.
            let alone = try flags(try await export("2026-03-01", "2026-03-31", "alone", store: ["--no-store"]))
            #expect(alone == ["quiet-then-busy": "yes", "first-call-march-5": "no"])
            // With a store that holds February: the first key called before the range, the second was quiet 32 days.
            _ = try await export("2026-02-01", "2026-02-28", "february", store: ["--store", store])
            let march = try await export("2026-03-01", "2026-03-31", "march", store: ["--store", store])
            let stored = try flags(march)
            #expect(stored == ["quiet-then-busy": "no", "first-call-march-5": "yes"])
            // report.json keeps what the store held, so render --input judges as the export did.
            let saved = directory.appendingPathComponent("saved")
            let fromJSON = try await CLI.run([
                "render", "--input", march.appendingPathComponent("report.json").path, "--out", saved.path,
                "--template", "quota-audit", "--format", "csv", "--quiet",
            ])
            #expect(fromJSON.code == 0, "\(fromJSON.stderr)")
            #expect(try flags(saved) == stored)
            // render --store reads the same earlier days.
            let again = directory.appendingPathComponent("again")
            let render = try await CLI.run([
                "render", "--store", store, "--keys", keys.path, "--from", "2026-03-01", "--to", "2026-03-31",
                "--out", again.path, "--template", "quota-audit", "--format", "csv", "--quiet",
            ])
            #expect(render.code == 0, "\(render.stderr)")
            #expect(try flags(again) == stored)
        }
    }
}
