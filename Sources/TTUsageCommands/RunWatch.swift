import Foundation
import UsageAnalysis
import UsageCore
import UsageExport
import UsageReports
import UsageStore

/// What a run leaves for the people and systems that watch it, once it has ended: the metrics file, the webhook
/// notifications and the store's run history.
struct RunWatch: Sendable {
    struct Settings: Sendable {
        var metrics: String?
        var notify: [URL]
        var notifyOn: WatchOptions.NotifyOn
    }

    /// What a run did, filled in as far as it got.
    struct Outcome: Sendable {
        var command: String
        var started: Date
        var environment = ""
        var range: DayRange?
        var template = ""
        var out = ""
        var keys = 0
        var calls = CallTally.Counts()
        /// The data of the report written, `nil` when none was.
        var dataset: UsageDataset?
        var alerts: [KeyAlert] = []
        var invoiceTotals: [String: String] = [:]
        /// The error line the user saw, when the run failed.
        var error: String?
    }

    var settings: Settings
    /// The store the run used, for its history; `nil` without one.
    var storePath: String?

    /// Exit codes after which a run is reported: it got past its options (a report, or a failure of the service,
    /// the output, the quota or the credentials, or an interrupt).
    static let reported: Set<Int32> = [0, 1, 2, 3, 69, 73, 75, 77, 130, 143]

    /// Writes the metrics, records the run and posts the notifications; problems are warnings on standard error.
    func finish(_ outcome: Outcome, exitCode: Int32) async {
        guard Self.reported.contains(exitCode) else { return }
        let finished = Date()
        let wrote = [0, 2, 3].contains(exitCode)
        if let path = settings.metrics {
            var metrics = RunMetrics(
                timestamp: finished, exitCode: exitCode, duration: finished.timeIntervalSince(outcome.started),
                lastSuccess: wrote ? finished : RunMetrics.lastSuccess(inFileAt: path), callsOK: outcome.calls.ok,
                callsThrottled: outcome.calls.throttled, callsFault: outcome.calls.fault)
            if let dataset = outcome.dataset { metrics.add(dataset) }
            do {
                try metrics.write(to: path)
            } catch {
                StandardError.line("warning: \(error)")
            }
        }
        if let storePath {
            await record(outcome, exitCode: exitCode, finished: finished, in: storePath)
        }
        if !settings.notify.isEmpty, settings.notifyOn == .always || exitCode != 0 {
            let body = RunNotification(outcome, exitCode: exitCode)
            for warning in await Notifier.post(body.json, to: settings.notify) { StandardError.line(warning) }
        }
    }

    private func record(_ outcome: Outcome, exitCode: Int32, finished: Date, in path: String) async {
        let run = RunRecord(
            started: outcome.started, finished: finished, command: outcome.command, environment: outcome.environment,
            from: outcome.range?.from.description ?? "", to: outcome.range?.to.description ?? "", keys: outcome.keys,
            calls: outcome.calls.ok, throttled: outcome.calls.throttled, exitCode: exitCode, out: outcome.out)
        do {
            try await UsageStore(path: path).record(run)
        } catch {
            StandardError.line("warning: the run was not recorded: \(error)")
        }
    }
}
