import ArgumentParser
import Foundation
import UsageAnalysis
import UsageCore
import UsageReports

/// `ttusage diff OLD NEW`: what changed between two reports, exiting like diff(1).
struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two reports: the key-days and invoices that changed.",
        discussion: """
            OLD and NEW are each a report.json or a folder holding one, of
            overlapping ranges. Compares the days both cover: key-days whose
            used or status changed and, when both were priced (--rates),
            invoices whose amount changed.
            Example (the report sent, against a refreshed export):
              ttusage export --month 2026-10 --keys keys.csv --rates rates.yaml \\
                --out reports/2026-10-check --refresh
              ttusage diff reports/2026-10 reports/2026-10-check --out credits
            With --out writes changes.csv
            (date,app_key,user_id,label,old_used,new_used,delta,old_status,
            new_status) and, when both hold invoices, invoice-changes.csv
            (month,customer,old_amount,new_amount,delta,currency).
            Exit codes: 0 the same, 1 different, 64 bad usage, 65 invalid
            report.json or ranges that do not overlap, 66 missing report,
            73 output not writable.
            """)

    @Argument(help: "The earlier report: a report.json or a folder holding one.") var old: String
    @Argument(help: "The later report: a report.json or a folder holding one.") var new: String
    @Option(help: "A folder to write changes.csv (and invoice-changes.csv) into.") var out: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await CommandFailure.run { try compare().code }
    }

    /// Reads both reports, writes the files asked for and returns the diff with its exit code.
    func compare() throws -> (diff: ReportDiff, code: Int32) {
        let before = try SavedReport.read(old)
        let after = try SavedReport.read(new)
        let diff = try ReportDiff(old: before, new: after)
        if let out {
            let files = try diff.write(to: try OutputFolder.prepare(out))
            if !logging.quiet { StandardError.line("wrote \(files.count.counted("file")) to \(out)") }
        }
        print(diff.summary)
        return (diff, diff.isSame ? 0 : 1)
    }
}
