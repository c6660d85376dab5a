import ArgumentParser
import Foundation
import UsageCore
import UsageReports

/// `ttusage render`: the reports again from a saved report.json, no network.
struct Render: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the reports again from a saved report.json (another template or format), with no network.",
        discussion: """
            Example:
              ttusage render --input reports/2026-10/report.json --out reports/2026-10-audit --template quota-audit
              ttusage render --input report.json --out xlsx-only --format xlsx
            Exit codes: 0 ok, 64 bad usage, 65 invalid report.json or template, 66 missing input, 73 output not writable.
            """)

    @Option(help: "A report.json written by ttusage export.") var input: String
    @Option(help: "The folder the reports are written to.") var out: String
    @OptionGroup var report: ReportOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await CommandFailure.run {
            let options = try report.renderOptions()
            guard FileManager.default.fileExists(atPath: input) else {
                throw RenderInputError(message: "--input \(input): no such file", category: .noInput)
            }
            guard let data = FileManager.default.contents(atPath: input) else {
                throw RenderInputError(message: "--input \(input) cannot be read", category: .noInput)
            }
            let dataset = try ReportJSON.decode(data)
            let output = try OutputFolder.prepare(out)
            let files = try ReportRenderer(options: options).render(dataset, to: output)
            if !logging.quiet { StandardError.line("wrote \(files.count) files to \(output.path)") }
            return dataset.failures.isEmpty ? 0 : ExitCategory.partial.code
        }
    }
}

struct RenderInputError: CategorizedError {
    var message: String
    var category: ExitCategory
    var description: String { message }
}
