import Foundation
import Logging
import TTID
import UnixSignals
import UsageAnalysis
import UsageCore
import UsageExport
import UsageReports
import UsageStore

/// One export from checked inputs to written reports: what `export` and `demo` run.
struct ExportJob {
    var client: TTIDClientConfiguration
    var credentials: TTCredentials
    var manifest: Manifest
    var range: RangeRequest
    var plan: ExportPlan
    var rate: Double
    var concurrency: Int
    var retry: RetryPolicy
    var render: RenderOptions
    var output: URL
    var logger: Logger
    var quiet: Bool
    /// Where fetched chunks are kept as they arrive; `nil` runs without a store.
    var store: UsageStore? = nil
    /// Fetch every chunk again even when the store holds it settled.
    var refresh = false
    /// How long a run that is only throttled goes on with no call succeeding (`--give-up-after`).
    var giveUpAfter: Duration = .seconds(300)
    /// Set by `--wait-for-quota`: a spent quota pauses the run until it resets instead of ending it.
    var quotaWait: QuotaWait? = nil
    /// The clock the pacer runs on (a test's own, or the process's).
    var pacingClock: PacingClock = .continuous
    /// The calling key's user (`--user-id`) and daily quota: a run that needs more than a tenth of the quota
    /// first checks what is left today (``QuotaCheck``); `nil` never checks.
    var quotaCheck: (userId: String?, dailyQuota: Int)? = nil
    /// Counts the keyusage answers by outcome (for the metrics and the run history).
    var tally = CallTally()
    /// `--statements`: each customer's pack under `output/statements/`, written with the report.
    var statements: StatementOptions? = nil
    /// Where the runs of this host book their shared slots (``SharedSlots``); `nil` paces alone.
    var sharedSlotsDirectory: String? = SharedSlots.defaultDirectory()

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
        let environment = client.endpoint.environment.rawValue
        let service = client.endpoint.storedService
        let incremental = try await StoreOptions.incremental(
            plan: plan, store: store, service: service, today: range.today, refresh: refresh)
        if let store, !quiet {
            StandardError.line(
                "store \(store.path): \(incremental.keyDaysFromStore) key-days from the store, \(incremental.callsNeeded) of \(plan.calls) keyusage calls to make"
            )
        }
        let progress = FetchProgress(planned: incremental.callsNeeded)
        let display = ProgressDisplay(progress: progress, quiet: quiet)
        let gate = CallGate()
        var quotaWait = self.quotaWait
        if let wait = quotaWait {
            let quiet = self.quiet
            let stored = store != nil
            quotaWait?.onWait = { kept, resume in
                wait.onWait(kept, resume)
                guard !quiet else { return }
                StandardError.line(
                    "\(display.live ? "\r\u{1B}[K" : "")daily quota spent after \(kept) calls"
                        + (stored ? " (kept in the store)" : "") + "; it resets at 00:00 UTC; waiting until "
                        + FetchProgress.Snapshot.utc.string(from: resume) + " UTC")
            }
        }
        var retry = self.retry
        retry.clock = pacingClock
        let exporter = Exporter(concurrency: concurrency, retry: retry, logger: logger, quotaWait: quotaWait)
        let pacer = RequestPacer(
            ceiling: rate > 0 ? rate : nil, giveUpAfter: giveUpAfter, clock: pacingClock, shared: sharedSlots,
            onChange: { progress.setPacingRate($0.rate) })
        progress.setPacingRate(pacer.reading.rate)
        var sink: Exporter.ChunkSink?
        if let store {
            sink = { @Sendable key, _, days in
                try await store.save(service: service, key: key, days: days, fetchedAt: Date())
            }
        }
        var dataset: UsageDataset
        let interrupts = InterruptWatch()
        let stop = RenderStop()
        await interrupts.start(closing: gate, stopping: stop)
        defer { interrupts.stop() }
        do {
            dataset = try await TTIDClient.withClient(
                configuration: client, credentials: credentials, pacer: pacer, gate: gate,
                logger: logger, observer: { [tally] in tally.hear($0) }
            ) { client in
                try await checkQuota(client, calls: incremental.callsNeeded)
                return try await exporter.run(
                    incremental, source: client, gate: gate, today: range.today, environment: environment,
                    progress: progress, options: options, sink: sink)
            }
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
        if let days = exporter.rangeLimit.days, !quiet {
            StandardError.line(
                "note: the service refused keyusage ranges longer than \(days) days; the chunks were cut to \(days) "
                    + "days and every day was fetched; use --chunk-days \(days) next time")
        }
        // A billing export fetched the month before too: it goes to `previous`, the tables keep the range asked.
        dataset = dataset.splittingPrevious(asked: range.range)
        if let store {
            dataset.earlier = try await EarlierDays.read(
                store, service: service, keys: manifest.keys, before: plan.range.from)
        }
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

    /// The slots this run shares with the other runs on this host that pace against the same key of the same
    /// service; `nil` when the run is unpaced, or the folder of the slot files cannot be made (it then paces alone).
    var sharedSlots: SharedSlots? {
        guard rate > 0, let directory = sharedSlotsDirectory else { return nil }
        return try? SharedSlots(directory: directory, key: client.endpoint.origin + " " + credentials.appKey)
    }

    /// Before a run that needs more than a tenth of the daily quota: today's remaining quota of the calling key,
    /// and whether the run fits in it. A check that fails says so and the run goes on.
    private func checkQuota(_ client: TTIDClient, calls: Int) async throws {
        guard let (userId, dailyQuota) = quotaCheck, QuotaCheck.worthChecking(calls: calls, dailyQuota: dailyQuota),
            !quiet
        else { return }
        guard let userId, !userId.isEmpty else {
            StandardError.line(
                "note: the run needs \(calls) calls, more than a tenth of the daily quota; " + QuotaCheck.skipped)
            return
        }
        let check = QuotaCheck(today: range.today, dailyQuota: dailyQuota)
        do {
            let reading = try await check.read(client, appKey: credentials.appKey, userId: userId)
            check.verdict(reading, calls: calls + 1).forEach { StandardError.line($0) }
        } catch let error as TTIDError {
            StandardError.line("quota check failed, going on: \(error)")
        }
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
            ("keys", String(manifest.keys.count)),
            ("chunk days", String(plan.chunkDays)),
            ("concurrency", String(concurrency)),
            ("rate", rate > 0 ? "\(rate)/s" : "unpaced"),
            ("max retries", String(retry.maxRetries)),
            ("give up after", "\(giveUpAfter.components.seconds) s of throttling"),
            ("template", render.template.name),
            ("formats", render.formats.map(\.rawValue).sorted().joined(separator: ",")),
            ("request ID names", "\(client.requestIDs.appName)-\(client.requestIDs.company)"),
        ]
        if let rates = render.rates { list.append(("rate card", rates.source)) }
        if plan.range != range.range {
            list.append(
                ("month before (month over month)", "\(plan.range.from) to \(range.range.from.adding(days: -1))"))
        }
        if let requested = range.requestedTo { list.append(("last day asked", "\(requested) (cut to today)")) }
        return list
    }
}
