import Foundation
import Logging
import TTID
import UsageCore
import UsageStore

/// Plan and fetch: one export's calls, from checked inputs to the dataset its reports are made of.
///
/// The pipeline asks the store what it holds, paces and fetches the rest under the rate limit (sharing the
/// limit's slots with the runs of this host that use the same key), keeps each chunk in the store as it arrives,
/// and gives back the normalized dataset with the month before and the store's earlier days attached. What it
/// has to say to the person running it goes to `note`, one line at a time; the progress goes to `FetchProgress`.
public struct ExportPipeline: Sendable {
    public var client: TTIDClientConfiguration
    public var credentials: TTCredentials
    public var manifest: Manifest
    public var range: RangeRequest
    public var plan: ExportPlan
    /// Calls a second; 0 is unpaced.
    public var rate: Double
    public var concurrency: Int
    public var retry: RetryPolicy
    public var logger: Logger
    /// Where fetched chunks are kept as they arrive; `nil` runs without a store.
    public var store: UsageStore?
    /// Fetch every chunk again even when the store holds it settled.
    public var refresh = false
    /// How long a run that is only throttled goes on with no call succeeding (`--give-up-after`).
    public var giveUpAfter: Duration = .seconds(300)
    /// Set by `--wait-for-quota`: a spent quota pauses the run until it resets instead of ending it.
    public var quotaWait: QuotaWait?
    /// The clock the pacer and the retries run on (a test's own, or the process's).
    public var pacingClock: PacingClock = .continuous
    /// The calling key's user (`--user-id`) and daily quota: a run that needs more than a tenth of the quota
    /// first checks what is left today (``QuotaCheck``); `nil` never checks.
    public var quotaCheck: (userId: String?, dailyQuota: Int)?
    /// Counts the keyusage answers by outcome (for the metrics and the run history).
    public var tally = CallTally()
    /// Where the runs of this host book their shared slots (``SharedSlots``); `nil` paces alone.
    public var sharedSlotsDirectory: String? = SharedSlots.defaultDirectory()

    public init(
        client: TTIDClientConfiguration, credentials: TTCredentials, manifest: Manifest, range: RangeRequest,
        plan: ExportPlan, rate: Double, concurrency: Int, retry: RetryPolicy, logger: Logger
    ) {
        self.client = client
        self.credentials = credentials
        self.manifest = manifest
        self.range = range
        self.plan = plan
        self.rate = rate
        self.concurrency = concurrency
        self.retry = retry
        self.logger = logger
    }

    /// The store's name for the service the run calls.
    public var service: StoredService { client.endpoint.storedService }

    /// The calls to make: the plan less what the store holds settled.
    public func incremental() async throws -> IncrementalPlan {
        guard let store else { return IncrementalPlan(plan: plan) }
        return try await store.incremental(plan: plan, service: service, today: range.today, refresh: refresh)
    }

    /// Fetches `incremental`'s calls and gives the dataset of the range asked (the month before a billing export
    /// fetched goes to its `previous`), with the store's earlier days of each key.
    ///
    /// - Parameters:
    ///   - options: the options worth recording in the report (no secret).
    ///   - gate: closed by an interrupt: no call starts after it.
    ///   - note: hears the lines worth telling the person running the export (`nil` tells nothing).
    /// - Throws: `ExportError` when the run cannot go on; `CancellationError` when interrupted.
    public func fetch(
        _ incremental: IncrementalPlan, options: [(name: String, value: String)], progress: FetchProgress,
        gate: CallGate, note: (@Sendable (String) -> Void)?
    ) async throws -> UsageDataset {
        var retry = self.retry
        retry.clock = pacingClock
        let exporter = Exporter(concurrency: concurrency, retry: retry, logger: logger, quotaWait: quotaWait)
        let pacer = RequestPacer(
            ceiling: rate > 0 ? rate : nil, giveUpAfter: giveUpAfter, clock: pacingClock, shared: sharedSlots,
            onChange: { progress.setPacingRate($0.rate) })
        progress.setPacingRate(pacer.reading.rate)
        var sink: Exporter.ChunkSink?
        if let store {
            let service = self.service
            sink = { @Sendable key, _, days in
                try await store.save(service: service, key: key, days: days, fetchedAt: Date())
            }
        }
        var dataset = try await TTIDClient.withClient(
            configuration: client, credentials: credentials, pacer: pacer, gate: gate,
            logger: logger, observer: { [tally] in tally.hear($0) }
        ) { client in
            if let note { try await checkQuota(client, calls: incremental.callsNeeded, note: note) }
            return try await exporter.run(
                incremental, source: client, gate: gate, today: range.today,
                environment: self.client.endpoint.environment.rawValue, progress: progress, options: options,
                sink: sink)
        }
        if let days = exporter.rangeLimit.days {
            note?(
                "note: the service refused keyusage ranges longer than \(days) days; the chunks were cut to \(days) "
                    + "days and every day was fetched; use --chunk-days \(days) next time")
        }
        dataset = dataset.splittingPrevious(asked: range.range)
        if let store {
            dataset.earlier = try await EarlierDays.read(
                store, service: service, keys: manifest.keys, before: plan.range.from)
        }
        return dataset
    }

    /// The slots this run shares with the other runs on this host that pace against the same key of the same
    /// service; `nil` when the run is unpaced, or the folder of the slot files cannot be made (it then paces alone).
    var sharedSlots: SharedSlots? {
        guard rate > 0, let directory = sharedSlotsDirectory else { return nil }
        return try? SharedSlots(directory: directory, key: client.endpoint.origin + " " + credentials.appKey)
    }

    /// Before a run that needs more than a tenth of the daily quota: today's remaining quota of the calling key,
    /// and whether the run fits in it. A check that fails says so and the run goes on.
    private func checkQuota(_ client: TTIDClient, calls: Int, note: @Sendable (String) -> Void) async throws {
        guard let (userId, dailyQuota) = quotaCheck, QuotaCheck.worthChecking(calls: calls, dailyQuota: dailyQuota)
        else { return }
        guard let userId, !userId.isEmpty else {
            note("note: the run needs \(calls) calls, more than a tenth of the daily quota; " + QuotaCheck.skipped)
            return
        }
        let check = QuotaCheck(today: range.today, dailyQuota: dailyQuota)
        do {
            let reading = try await check.read(client, appKey: credentials.appKey, userId: userId)
            check.verdict(reading, calls: calls + 1).forEach(note)
        } catch let error as TTIDError {
            note("quota check failed, going on: \(error)")
        }
    }
}

extension TTIDEndpoint {
    /// The store's name for this service.
    public var storedService: StoredService { StoredService(origin: origin, environment: environment.rawValue) }
}
