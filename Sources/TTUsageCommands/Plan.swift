import ArgumentParser
import Foundation
import UsageCore

/// `ttusage plan`: what an export would cost, without calling anything.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the keyusage calls an export makes, their time at the rate and their share of the daily quota.",
        discussion: """
            Calls nothing and needs no credentials.
            Example:
              ttusage plan --month 2026-10 --keys keys.csv --plan low
              ttusage plan --from 2025-01-01 --to 2025-12-31 --keys keys.csv --chunk-days 30
            Exit codes: 0 ok, 64 bad usage, 65 bad manifest, 66 missing manifest.
            """)

    @OptionGroup var fetch: FetchOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await CommandFailure.run {
            print(try summary(today: Day(containing: Date())))
            return 0
        }
    }

    func summary(today: Day) throws -> String {
        try fetch.validateValues()
        let range = try fetch.rangeRequest(today: today)
        let manifest = try Manifest.load(path: fetch.keys)
        if !logging.quiet { manifest.warnings.forEach { StandardError.line("warning: \($0)") } }
        let plan = try ExportPlan(keys: manifest.keys, range: range.range, chunkDays: fetch.chunkDays)
        return plan.summary(rate: try fetch.effectiveRate(), dailyQuota: try fetch.tier().dailyQuota)
    }
}
