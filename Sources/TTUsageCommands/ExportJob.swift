import Foundation
import Logging
import TTID
import UnixSignals
import UsageAnalysis
import UsageCore
import UsageExport
import UsageReports
import UsageStore

/// One export from checked inputs to written reports: what `export` and `demo` run. The fetch is the
/// ``ExportPipeline``'s; the job adds the terminal (progress line, notes), the interrupts and the render.
struct ExportJob {
    var pipeline: ExportPipeline
    var render: RenderOptions
    var output: URL
    var quiet: Bool
    /// `--statements`: each customer's pack under `output/statements/`, written with the report.
    var statements: StatementOptions? = nil

    init(
        client: TTIDClientConfiguration, credentials: TTCredentials, manifest: Manifest, range: RangeRequest,
        plan: ExportPlan, rate: Double, concurrency: Int, retry: RetryPolicy, render: RenderOptions, output: URL,
        logger: Logger, quiet: Bool, store: UsageStore? = nil, refresh: Bool = false,
        giveUpAfter: Duration = .seconds(300), quotaWait: QuotaWait? = nil,
        quotaCheck: (userId: String?, dailyQuota: Int)? = nil
    ) {
        pipeline = ExportPipeline(
            client: client, credentials: credentials, manifest: manifest, range: range, plan: plan, rate: rate,
            concurrency: concurrency, retry: retry, logger: logger)
        pipeline.store = store
        pipeline.refresh = refresh
        pipeline.giveUpAfter = giveUpAfter
        pipeline.quotaWait = quotaWait
        pipeline.quotaCheck = quotaCheck
        self.render = render
        self.output = output
        self.quiet = quiet
    }

    var client: TTIDClientConfiguration { pipeline.client }
    var range: RangeRequest { pipeline.range }
    var store: UsageStore? { pipeline.store }
    var manifest: Manifest { pipeline.manifest }
    var rate: Double { pipeline.rate }
    var concurrency: Int { pipeline.concurrency }

    /// What the run produced.
    struct Result {
        var dataset: UsageDataset
        var files: [URL]
        /// 0, or 2 when keys were refused.
        var exitCode: Int32
        /// The alerts of `--alert`.
        var alerts: [KeyAlert] = []
        /// The invoices' totals per currency (empty without a rate card).
        var invoiceTotals: [String: String] = [:]
    }

    func run() async throws -> Result {
        let incremental = try await pipeline.incremental()
        if let store, !quiet {
            StandardError.line(
                "store \(store.path): \(incremental.keyDaysFromStore) key-days from the store, \(incremental.callsNeeded) of \(pipeline.plan.calls) keyusage calls to make"
            )
        }
        let progress = FetchProgress(planned: incremental.callsNeeded)
        let display = ProgressDisplay(progress: progress, quiet: quiet)
        let gate = CallGate()
        var pipeline = self.pipeline
        if let wait = pipeline.quotaWait {
            let quiet = self.quiet
            let stored = store != nil
            pipeline.quotaWait?.onWait = { kept, resume in
                wait.onWait(kept, resume)
                guard !quiet else { return }
                StandardError.line(
                    "\(display.live ? "\r\u{1B}[K" : "")daily quota spent after \(kept) calls"
                        + (stored ? " (kept in the store)" : "") + "; it resets at 00:00 UTC; waiting until "
                        + FetchProgress.Snapshot.utc.string(from: resume) + " UTC")
            }
        }
        var dataset: UsageDataset
        let interrupts = InterruptWatch()
        let stop = RenderStop()
        await interrupts.start(closing: gate, stopping: stop)
        defer { interrupts.stop() }
        let note: (@Sendable (String) -> Void)? = quiet ? nil : { @Sendable text in StandardError.line(text) }
        do {
            dataset = try await pipeline.fetch(
                incremental, options: options, progress: progress, gate: gate, note: note)
        } catch {
            if let signal = interrupts.signal { return interrupted(by: signal, progress: progress, display: display) }
            if let failure = error as? ExportError, case .unavailable(let cause, _) = failure.reason, cause.notReached {
                display.finishUnreached(client.endpoint.description)
            } else {
                display.finish("stopped")
            }
            throw error
        }
        if let signal = interrupts.signal { return interrupted(by: signal, progress: progress, display: display) }
        display.finish("fetched")
        var render = self.render
        render.statements = statements.map {
            var packs = $0
            packs.date = Date()
            return packs
        }
        render.audit.today = range.today
        render.stop = stop
        let renderer = ReportRenderer(options: render)
        let rendered: ReportRenderer.Rendered
        do {
            rendered = try await InterruptWatch.offThePool { [dataset] in
                try renderer.renderReport(dataset, to: output)
            }
        } catch let error as ReportError where error.isInterrupted {
            let signal = interrupts.signal ?? .sigint
            return interrupted(by: signal, progress: progress, display: nil)
        }
        let files = rendered.files
        if let written = rendered.statements, !quiet { StandardError.line(written.summary) }
        let failures = dataset.failures
        if !quiet {
            renderer.billingWarnings(for: dataset).forEach { StandardError.line("warning: \($0)") }
            rendered.warnings.forEach { StandardError.line("warning: \($0)") }
            StandardError.line("wrote \(files.count.counted("file")) to \(output.path)")
            for failure in failures {
                StandardError.line("refused: \(failure.appKey) (\(failure.label)): \(failure.reason)")
            }
        }
        return Result(
            dataset: dataset, files: files,
            exitCode: AlertReport.exitCode(failures: failures.count, alerts: rendered.alerts, files: files),
            alerts: rendered.alerts, invoiceTotals: rendered.invoiceTotals)
    }

    /// Stops after an interrupt: no report is written (a partial one would bill on a hole), one line says what
    /// was kept, and the exit code is 130 (SIGINT) or 143 (SIGTERM). `display` is `nil` once the fetch is over
    /// (an interrupt while the report was written).
    private func interrupted(by signal: UnixSignal, progress: FetchProgress, display: ProgressDisplay?) -> Result {
        display?.finish("stopped by the interrupt")
        if display == nil {
            StandardError.line("interrupted while writing: \(output.path) holds the previous report as it was")
        }
        let snapshot = progress.snapshot
        if store != nil {
            StandardError.line(
                "interrupted: \(snapshot.done) of \(snapshot.planned) calls kept in the store; "
                    + "run the same command to go on")
        } else {
            StandardError.line(
                "interrupted: \(snapshot.done) of \(snapshot.planned) calls made, nothing kept (--no-store); "
                    + "run the command again")
        }
        let empty = UsageDataset(
            generatedAt: Date(), environment: client.endpoint.environment.rawValue, range: range.range, keys: [])
        return Result(dataset: empty, files: [], exitCode: InterruptWatch.exitCode(signal))
    }

    /// The options worth recording in the report (no secret).
    var options: [(name: String, value: String)] {
        var list: [(String, String)] = [
            ("environment", client.endpoint.environment.rawValue),
            ("base URL", client.endpoint.origin),
            ("range", "\(range.range.from) to \(range.range.to)"),
            ("keys", String(pipeline.manifest.keys.count)),
            ("chunk days", String(pipeline.plan.chunkDays)),
            ("concurrency", String(pipeline.concurrency)),
            ("rate", pipeline.rate > 0 ? "\(pipeline.rate)/s" : "unpaced"),
            ("max retries", String(pipeline.retry.maxRetries)),
            ("give up after", "\(pipeline.giveUpAfter.components.seconds) s of throttling"),
            ("template", render.template.name),
            ("formats", render.formats.map(\.rawValue).sorted().joined(separator: ",")),
            ("request ID names", "\(client.requestIDs.appName)-\(client.requestIDs.company)"),
        ]
        if let rates = render.rates { list.append(("rate card", rates.source)) }
        let plan = pipeline.plan
        if plan.range != range.range {
            list.append(
                ("month before (month over month)", "\(plan.range.from) to \(range.range.from.adding(days: -1))"))
        }
        if let requested = range.requestedTo { list.append(("last day asked", "\(requested) (cut to today)")) }
        return list
    }
}
