import ArgumentParser
import Foundation
import TTID
import UsageCore
import UsageExport
import UsageStore

/// `ttusage plan`: what an export would cost, without calling anything.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Print the keyusage calls an export makes, their time at the rate and their share of the daily quota.",
        discussion: """
            Calls nothing and needs no credentials. With a store, counts only
            the chunks it lacks. With --check-quota it makes one keyusage call
            for the calling key (TT_APP_KEY and --user-id, its TT user) and says
            whether today's remaining quota covers the plan, and if not, how
            many days the run needs.
            Environment: XDG_DATA_HOME (the store), XDG_CONFIG_HOME (profiles).
            Example:
              ttusage plan --month 2026-10 --keys keys.csv --plan low
              ttusage plan --from 2025-01-01 --to 2025-12-31 --keys keys.csv \\
                --chunk-days 30
              ttusage plan --month 2026-10 --keys keys.csv --plan medium \\
                --check-quota --user-id 12345
            Exit codes: 0 ok, 64 bad usage, 65 bad manifest, 66 missing manifest;
            with --check-quota also 69 service unavailable, 77 credentials
            refused.
            """)

    @OptionGroup var fetch: FetchOptions
    @OptionGroup var report: PlanReportOptions
    @OptionGroup var storage: StoreOptions
    @OptionGroup var profiles: ProfileOptions
    @OptionGroup var logging: LoggingOptions

    @OptionGroup var connection: ConnectionOptions

    @Flag(
        help:
            "Read the calling key's usage for today (one keyusage call) and say whether the remaining quota covers the plan."
    )
    var checkQuota = false

    @Option(help: "The TT user id of the calling app key (TT_APP_KEY), for --check-quota.")
    var userId: String?

    func run() async throws {
        try await CommandFailure.run {
            let today = Day(containing: Date())
            let (text, calls) = try await summary(today: today)
            print(text)
            if checkQuota { try await quotaLines(today: today, calls: calls).forEach { print($0) } }
            return 0
        }
    }

    /// The plan as text, and the keyusage calls it needs.
    func summary(today: Day) async throws -> (text: String, calls: Int) {
        let profile = try profiles.load()
        try fetch.validateValues(profile)
        try storage.validateValues()
        let environment = try TTEnvironment.resolve(connection.environment, profile: profile?.environment)
        let baseURL = connection.baseURL ?? profile?.baseURL
        let endpoint = try TTIDEndpoint(environment: environment, baseURL: baseURL)
        let range = try fetch.rangeRequest(today: today)
        let manifest = try Manifest.load(path: fetch.keys)
        if !logging.quiet { manifest.warnings.forEach { StandardError.line("warning: \($0)") } }
        let fetchRange = ExportPlan.fetchRange(for: range.range, previousMonth: try report.fetchesMonthBefore(profile))
        let plan = try ExportPlan(keys: manifest.keys, range: fetchRange, chunkDays: fetch.chunkDays)
        var store: UsageStore?
        var service = endpoint.storedService
        if let path = storage.path(profile, endpoint: endpoint), FileManager.default.fileExists(atPath: path) {
            let opened = try await UsageStore(path: path, readOnly: true)
            service = try await StoreOptions.service(in: opened, environment: environment, baseURL: baseURL)
            store = opened
        }
        let incremental =
            try await store?.incremental(plan: plan, service: service, today: today, refresh: storage.refresh)
            ?? IncrementalPlan(plan: plan)
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
                "\nfrom the store \(store.path) (\(service)): \(incremental.keyDaysFromStore) key-days, "
                + "\((plan.calls - incremental.callsNeeded).counted("call")) saved"
        }
        return (text, incremental.callsNeeded)
    }

    /// `--check-quota`: today's figures of the calling key and whether the plan fits in them.
    func quotaLines(today: Day, calls: Int) async throws -> [String] {
        let profile = try profiles.load()
        guard let userId = userId ?? profile?.userId, !userId.isEmpty else { return [QuotaCheck.skipped] }
        let configuration = try connection.clientConfiguration(maxConnections: 1, profile: profile)
        let credentials = try connection.loadCredentials()
        let check = QuotaCheck(today: today, dailyQuota: try fetch.tier(profile).dailyQuota)
        let reading = try await TTIDClient.withRetries(
            configuration: configuration, credentials: credentials, retry: RetryPolicy(maxRetries: 2),
            rate: try fetch.effectiveRate(profile), giveUpAfter: configuration.requestTimeout,
            logger: try logging.makeLogger()
        ) { try await check.read($0, appKey: credentials.appKey, userId: userId) }
        // The run's token call counts too.
        return check.verdict(reading, calls: calls + 1)
    }
}
