import ArgumentParser
import Foundation
import Logging
import TTID
import TTIDSandbox
import UsageCore
import UsageReports

/// `ttusage demo`: the whole export against an in-process sandbox; no credentials, no network.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the sample manifest for last month from an in-process sandbox: no credentials, no network.",
        discussion: """
            Example:
              ttusage demo                      (writes demo-out/)
              ttusage demo --out /tmp/demo --template quota-audit
            Writes daily.csv, summary.csv, the template's tables, report.json,
            report.xlsx and report.html.
            Reads no environment variable and no store.
            """)

    @Option(help: "The folder the reports are written to.") var out: String = "demo-out"
    @Option(help: "A bundled template or a template file.") var template: String = ReportTemplate.defaultName
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await CommandFailure.run {
            try await Self.run(out: out, template: template, logging: logging, now: Date()).exitCode
        }
    }

    static func lastFullMonth(before today: Day) -> DayRange? {
        let (year, month, _) = today.components
        return month == 1 ? DayRange(year: year - 1, month: 12) : DayRange(year: year, month: month - 1)
    }

    static func run(out: String, template: String, logging: LoggingOptions, now: Date) async throws -> ExportJob.Result
    {
        let logger = try logging.makeLogger()
        let render = RenderOptions(
            formats: Set(ReportFormat.allCases), excelBOM: false, template: try ReportTemplate.resolve(template),
            toolVersion: TTUsageVersion.current)
        let today = Day(containing: now)
        guard let month = lastFullMonth(before: today) else {
            throw CommandError.usage("no last month before \(today)")
        }
        let range = try RangeRequest(from: month.from.description, to: month.to.description, month: nil, today: today)
        let manifest = try Manifest.parse(Data(DemoManifest.csv.utf8), name: "samples/keys.csv")
        let output = try OutputFolder.prepare(out)

        var configuration = SandboxConfiguration()
        configuration.emptyKeys = [DemoManifest.dormantKey]
        configuration.rate = 10
        configuration.burst = 10
        let credential = SandboxConfiguration.demoCredential
        return try await TTIDSandboxServer.withRunning(configuration) { server in
            if !logging.quiet {
                StandardError.line(
                    "demo: sandbox on \(server.baseURL), exporting \(range.range.from) to \(range.range.to) for \(manifest.keys.count.counted("key"))"
                )
            }
            let job = ExportJob(
                client: TTIDClientConfiguration(
                    endpoint: try TTIDEndpoint(environment: .uat, baseURL: server.baseURL),
                    requestIDs: try RequestIDFactory(appName: "ttusage", company: "demo")),
                credentials: TTCredentials(appKey: credential.appKey, secret: credential.secret),
                manifest: manifest, range: range,
                plan: try ExportPlan(keys: manifest.keys, range: range.range),
                rate: 10, concurrency: 4, retry: RetryPolicy(), render: render, output: output, logger: logger,
                quiet: logging.quiet)
            let result = try await job.run()
            if !logging.quiet {
                print("demo reports in \(output.path):")
                for file in result.files { print("  \(file.lastPathComponent)") }
            }
            return result
        }
    }
}
