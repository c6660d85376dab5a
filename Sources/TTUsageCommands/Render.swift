import ArgumentParser
import Foundation
import TTID
import UsageCore
import UsageExport
import UsageReports
import UsageStore

/// `ttusage render`: the reports again from a saved report.json, no network.
struct Render: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the reports again from a saved report.json (another template or format), with no network.",
        discussion: """
            Example:
              ttusage render --input reports/2026-10/report.json \\
                --out reports/2026-10-audit --template quota-audit
              ttusage render --input report.json --out xlsx-only --format xlsx
              ttusage render --input reports/2026-10 --rates rates.yaml --out priced
              ttusage render --store ~/.local/share/ttusage/usage.sqlite \\
                --keys keys.csv --month 2026-10 --out offline
            From the store, days it lacks are missing and days not yet settled
            are provisional.
            Environment: XDG_DATA_HOME (the store), XDG_CONFIG_HOME (profiles).
            --alert RULES: exit 3 when a key meets a rule (alerts.csv, a line each
            on standard error); a report with refused keys exits 2 first.
            --statements (with --rates, --statement-from ADDRESS): each customer's
            pack in --out/statements, again, with no network.
            Exit codes: 0 ok, 2 some keys refused, 3 alerts, 64 bad usage,
            65 invalid report.json, template or rate card, 66 missing input,
            73 output not writable.
            """)

    @Option(help: "A report.json written by ttusage export, or the folder holding it.") var input: String?
    @Option(help: "Build the report from this usage store instead of a report.json (with --keys and a range).")
    var store: String?
    @Option(help: "With --store: the keys manifest.") var keys: String?
    @Option(help: "With --store: first UTC day, YYYY-MM-DD.") var from: String?
    @Option(help: "With --store: last UTC day, YYYY-MM-DD.") var to: String?
    @Option(help: "With --store: a calendar month, YYYY-MM.") var month: String?
    @Option(help: "With --store: the environment whose days are read (default: the profile's, or ext_uat_cert).")
    var environment: TTEnvironment?
    @Option(
        help:
            "With --store: the service whose days are read, as export's --base-url (default: the one service of the environment the store holds)."
    )
    var baseURL: String?
    @Option(help: "The folder the reports are written to.") var out: String
    @Option(help: "The company named in the workbook's properties (default: the profile's company).")
    var company: String?
    @OptionGroup var report: ReportOptions
    @OptionGroup var watching: WatchOptions
    @OptionGroup var profiles: ProfileOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var outcome = RunWatch.Outcome(command: "render", started: Date())
        var watch: RunWatch?
        try await CommandFailure.run(
            {
                let profile = try profiles.load()
                watch = RunWatch(settings: try watching.settings(profile), storePath: store)
                var options = try report.renderOptions(profile)
                if let company { options.company = company }
                options.statements = try report.statementOptions(profile, rates: options.rates)
                var dataset = try await loadDataset(options: options, profile: profile)
                if report.template == nil, let kept = try keptTemplate(of: dataset) { options.template = kept }
                dataset.options = dataset.options.map {
                    $0.name == "template" ? ("template", options.template.name) : $0
                }
                outcome.environment = dataset.environment
                outcome.range = dataset.range
                outcome.template = options.template.name
                outcome.out = out
                outcome.keys = dataset.keys.count
                let output = try OutputFolder.prepare(out)
                let interrupts = InterruptWatch()
                let stop = RenderStop()
                options.stop = stop
                await interrupts.start(closing: CallGate(), stopping: stop)
                defer { interrupts.stop() }
                let renderer = ReportRenderer(options: options)
                let rendered: ReportRenderer.Rendered
                do {
                    rendered = try await InterruptWatch.offThePool { [dataset] in
                        try renderer.renderReport(dataset, to: output)
                    }
                } catch let error as ReportError where error.isInterrupted {
                    StandardError.line(
                        "interrupted while writing: \(output.path) holds the previous report as it was")
                    return InterruptWatch.exitCode(interrupts.signal ?? .sigint)
                }
                if let written = rendered.statements, !logging.quiet { StandardError.line(written.summary) }
                outcome.dataset = dataset
                outcome.alerts = rendered.alerts
                outcome.invoiceTotals = rendered.invoiceTotals
                if !logging.quiet {
                    renderer.billingWarnings(for: dataset).forEach { StandardError.line("warning: \($0)") }
                    rendered.warnings.forEach { StandardError.line("warning: \($0)") }
                    StandardError.line("wrote \(rendered.files.count.counted("file")) to \(output.path)")
                }
                return AlertReport.exitCode(
                    failures: dataset.failures.count, alerts: rendered.alerts, files: rendered.files)
            },
            finally: { code, error in
                outcome.error = error
                await watch?.finish(outcome, exitCode: code)
            })
    }
}

extension Render {
    /// The template a saved report was made with, which a render keeps unless `--template` is given.
    func keptTemplate(of dataset: UsageDataset) throws -> ReportTemplate? {
        guard input != nil, let name = dataset.options.first(where: { $0.name == "template" })?.value else {
            return nil
        }
        guard let template = try? ReportTemplate.resolve(name) else {
            throw CommandError(
                "the report was made with the template \(name), which is not a bundled template: "
                    + "give --template with its file", category: .usage)
        }
        return template
    }

    func loadDataset(options: RenderOptions, profile: Profile?) async throws -> UsageDataset {
        switch (input, store) {
        case (let input?, nil):
            return try ReportJSON.read(from: ReportJSON.location(of: input))
        case (nil, let path?):
            guard let keys else {
                throw CommandError.usage("--store needs --keys FILE and a range (--from/--to or --month)")
            }
            let chosen = try TTEnvironment.resolve(environment, profile: profile?.environment)
            let environment = chosen.rawValue
            let today = Day(containing: Date())
            let range = try RangeRequest(from: from, to: to, month: month, today: today)
            let manifest = try Manifest.load(path: keys)
            let store = try await UsageStore(path: path, readOnly: true)
            // Month over month reads the month before from the store too; the tables keep the range asked.
            let fetched = ExportPlan.fetchRange(
                for: range.range, previousMonth: options.rates != nil || options.template.monthOverMonth)
            let service = try await StoreOptions.service(
                in: store, environment: chosen, baseURL: baseURL ?? profile?.baseURL)
            let held = try await store.held(service: service, keys: manifest.keys, range: fetched)
            var dataset = IncrementalPlan.dataset(
                keys: manifest.keys, range: fetched, held: held, environment: environment, today: today,
                generatedAt: Date(),
                options: [
                    ("source", "usage store"), ("environment", environment), ("base URL", service.origin),
                    ("range", "\(range.range.from) to \(range.range.to)"),
                    ("template", options.template.name),
                ]
            ).splittingPrevious(asked: range.range)
            dataset.earlier = try await EarlierDays.read(
                store, service: service, keys: manifest.keys, before: fetched.from)
            return dataset
        default:
            throw CommandError.usage("give either --input report.json or --store PATH (with --keys and a range)")
        }
    }
}
