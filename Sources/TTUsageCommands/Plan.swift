import ArgumentParser
import Foundation
import TTID
import UsageCore
import UsageStore

/// `ttusage plan`: what an export would cost, without calling anything.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Print the keyusage calls an export makes, their time at the rate and their share of the daily quota.",
        discussion: """
            Calls nothing and needs no credentials. With a store, counts only
            the chunks it lacks.
            Environment: XDG_DATA_HOME (the store), XDG_CONFIG_HOME (profiles).
            Example:
              ttusage plan --month 2026-10 --keys keys.csv --plan low
              ttusage plan --from 2025-01-01 --to 2025-12-31 --keys keys.csv \\
                --chunk-days 30
            Exit codes: 0 ok, 64 bad usage, 65 bad manifest, 66 missing manifest.
            """)

    @OptionGroup var fetch: FetchOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var storage: StoreOptions
    @OptionGroup var profiles: ProfileOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: "ttid environment whose stored days count: ext_uat_cert (the default) or ext_prod_live.")
    var environment: TTEnvironment?

    func run() async throws {
        try await CommandFailure.run {
            print(try await summary(today: Day(containing: Date())))
            return 0
        }
    }

    func summary(today: Day) async throws -> String {
        let profile = try profiles.load()
        try fetch.validateValues(profile)
        try storage.validateValues()
        let environment = try TTEnvironment.resolve(self.environment, profile: profile?.environment).rawValue
        let range = try fetch.rangeRequest(today: today)
        let manifest = try Manifest.load(path: fetch.keys)
        if !logging.quiet { manifest.warnings.forEach { StandardError.line("warning: \($0)") } }
        let render = try report.renderOptions(profile)
        let fetchRange = ExportPlan.fetchRange(
            for: range.range, previousMonth: render.rates != nil || render.template.monthOverMonth)
        let plan = try ExportPlan(keys: manifest.keys, range: fetchRange, chunkDays: fetch.chunkDays)
        var store: UsageStore?
        if let path = storage.path(profile), FileManager.default.fileExists(atPath: path) {
            store = try UsageStore(path: path, readOnly: true)
        }
        let incremental = try await StoreOptions.incremental(
            plan: plan, store: store, environment: environment, today: today, refresh: storage.refresh)
        var text = plan.summary(
            rate: try fetch.effectiveRate(profile), dailyQuota: try fetch.tier(profile).dailyQuota,
            callsNeeded: incremental.callsNeeded)
        if fetchRange != range.range {
            let asked = try ExportPlan(keys: manifest.keys, range: range.range, chunkDays: fetch.chunkDays)
            text +=
                "\nmonth over month: the month before (\(fetchRange.from) to \(range.range.from.adding(days: -1)))"
                + " is fetched too, \(plan.calls - asked.calls) more calls than the range alone"
        }
        if let store {
            text +=
                "\nfrom the store \(store.path): \(incremental.keyDaysFromStore) key-days, \(plan.calls - incremental.callsNeeded) calls saved"
        }
        return text
    }
}
