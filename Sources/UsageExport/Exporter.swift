import Foundation
import Logging
import TTID
import UsageCore
import UsageStore

/// Fetches a plan with bounded concurrency and normalizes it into a `UsageDataset`.
///
/// At most `concurrency` calls are in flight; each transient fault is retried by `retry`, each throttle too
/// without counting. A key refused for good becomes a failure and the other keys go on. A spent quota, refused
/// credentials or a service that keeps failing close the gate: no new call starts, calls in flight finish, and
/// the export throws `ExportError`. With `quotaWait`, a spent quota instead pauses the run until it resets.
public struct Exporter: Sendable {
    public var concurrency: Int
    public var retry: RetryPolicy
    public var logger: Logger
    /// How to wait for a spent quota; `nil` stops the run with `quotaSpent`.
    public var quotaWait: QuotaWait?
    /// The longest range the service accepts, learnt from its refusals during the run.
    public var rangeLimit = RangeLimit()

    public init(
        concurrency: Int = 4, retry: RetryPolicy = RetryPolicy(), logger: Logger = Logger(label: "ttusage"),
        quotaWait: QuotaWait? = nil
    ) {
        self.concurrency = max(1, concurrency)
        self.retry = retry
        self.logger = logger
        self.quotaWait = quotaWait
    }

    /// A chunk's days, handed over as soon as it is fetched (before its slot is freed), for a store to keep.
    public typealias ChunkSink = @Sendable (_ key: KeyEntry, _ chunk: DayRange, _ days: [DayUsage]) async throws -> Void

    enum Outcome: Sendable {
        case fetched(key: Int, chunk: Int, days: [DayUsage])
        case refused(key: Int, reason: String)
        case quotaSpent(key: Int, chunk: Int, counted: Bool)
        case fatal(ExportError.Reason)
        case stopped
    }

    /// Runs the plan against `source`. `gate` is the client's gate (closed here when the run must stop).
    public func run(
        _ plan: ExportPlan, source: some KeyUsageFetching, gate: CallGate, today: Day, environment: String,
        progress: FetchProgress = FetchProgress(), options: [(name: String, value: String)] = [],
        sink: ChunkSink? = nil
    ) async throws -> UsageDataset {
        try await run(
            IncrementalPlan(plan: plan), source: source, gate: gate, today: today,
            environment: environment, progress: progress, options: options, sink: sink)
    }

    /// Runs the chunks of `incremental` that the store does not hold; the others come from the store.
    public func run(
        _ incremental: IncrementalPlan, source: some KeyUsageFetching, gate: CallGate, today: Day,
        environment: String, progress: FetchProgress = FetchProgress(),
        options: [(name: String, value: String)] = [], sink: ChunkSink? = nil
    ) async throws -> UsageDataset {
        let plan = incremental.plan
        progress.setPlanned(incremental.callsNeeded)
        var chunkDays = incremental.stored
        var failures: [Int: String] = [:]
        var fatal: ExportError.Reason?
        var succeeded = 0
        var keyIndex = 0
        var chunkIndex = 0
        // Chunks that met a spent quota, made again after the wait.
        var requeued: [(key: Int, chunk: Int)] = []
        var waiting = false

        while true {
            await withTaskGroup(of: Outcome.self) { group in
                func start(_ k: Int, _ c: Int) {
                    group.addTask {
                        await fetch(
                            plan: plan, key: k, chunk: c, source: source, today: today, progress: progress,
                            sink: sink)
                    }
                }
                func addNext() {
                    if !requeued.isEmpty {
                        let (k, c) = requeued.removeFirst()
                        start(k, c)
                        return
                    }
                    while keyIndex < plan.keys.count {
                        let (k, c) = (keyIndex, chunkIndex)
                        chunkIndex += 1
                        if chunkIndex == plan.chunks.count {
                            chunkIndex = 0
                            keyIndex += 1
                        }
                        if incremental.stored[k][c] != nil { continue }
                        if failures[k] != nil {
                            progress.callSkipped()
                            continue
                        }
                        start(k, c)
                        return
                    }
                }
                for _ in 0..<concurrency { addNext() }
                while let outcome = await group.next() {
                    switch outcome {
                    case .fetched(let k, let c, let days):
                        chunkDays[k][c] = days
                        succeeded += 1
                    case .refused(let k, let reason):
                        if failures[k] == nil {
                            failures[k] = reason
                            progress.keyFailed()
                            logger.warning(
                                "key refused", metadata: ["appKey": "\(plan.keys[k].appKey)", "reason": "\(reason)"])
                        }
                    case .quotaSpent(let k, let c, let counted):
                        if quotaWait != nil {
                            requeued.append((k, c))
                            if counted { progress.callRequeued() }
                            waiting = true
                        } else if fatal == nil {
                            fatal = .quotaSpent(succeeded: 0, planned: 0)
                            gate.close()
                        }
                    case .fatal(let reason):
                        if fatal == nil {
                            fatal = reason
                            gate.close()
                        }
                    case .stopped:
                        break
                    }
                    if fatal == nil, !waiting { addNext() }
                }
            }
            guard fatal == nil, waiting, let quotaWait else { break }
            let resume = quotaWait.resumeDate(after: quotaWait.now())
            quotaWait.onWait(succeeded, resume)
            logger.info("daily quota spent; waiting", metadata: ["until": "\(resume)", "kept": "\(succeeded)"])
            progress.setWaiting(until: resume)
            // In slices of a second at most, so that an interrupt (which closes the gate) ends the wait.
            do {
                while !gate.isClosed {
                    let left = resume.timeIntervalSince(quotaWait.now())
                    guard left > 0 else { break }
                    try await quotaWait.sleep(.milliseconds(Int64(min(left, 1) * 1000)))
                }
            } catch {
                fatal = .quotaSpent(succeeded: 0, planned: 0)
                break
            }
            progress.setWaiting(until: nil)
            if gate.isClosed { break }
            waiting = false
        }
        if case .quotaSpent = fatal {
            fatal = .quotaSpent(succeeded: succeeded, planned: incremental.callsNeeded)
        }
        if let fatal { throw ExportError(fatal) }

        var keys: [KeyUsage] = []
        keys.reserveCapacity(plan.keys.count)
        for (k, key) in plan.keys.enumerated() {
            if let reason = failures[k] {
                keys.append(KeyUsage(key: key, days: [], failureReason: reason))
                continue
            }
            var days: [DayUsage] = []
            days.reserveCapacity(plan.range.count)
            for (c, chunk) in plan.chunks.enumerated() {
                days.append(contentsOf: chunkDays[k][c] ?? chunk.map { DayUsage.missing($0) })
            }
            // Each key's chunks are let go once its days are joined: the dataset is never held twice.
            chunkDays[k] = []
            keys.append(KeyUsage(key: key, days: days))
        }
        return UsageDataset(
            generatedAt: Date(), environment: environment, range: plan.range, keys: keys, options: options)
    }

    private func fetch(
        plan: ExportPlan, key k: Int, chunk c: Int, source: some KeyUsageFetching, today: Day,
        progress: FetchProgress, sink: ChunkSink?
    ) async -> Outcome {
        let key = plan.keys[k]
        let chunk = plan.chunks[c]
        var retries = 0
        // The chunk in pieces of the range the service accepts (one piece until it refuses a range).
        var pieces = rangeLimit.pieces(of: chunk)
        if pieces.count > 1 { progress.callsAdded(pieces.count - 1) }
        var days: [DayUsage] = []
        days.reserveCapacity(chunk.count)
        var index = 0
        do {
            while index < pieces.count {
                let piece = pieces[index]
                do {
                    days += try await fetch(
                        key: key, piece: piece, source: source, today: today, progress: progress
                    ) { retries = $0 }
                    index += 1
                } catch let error as TTIDError {
                    guard error.endpoint == "keyusage", let limit = rangeLimit.learn(from: error, asked: piece.count)
                    else { throw error }
                    // The refused call was made and answered; the rest of the chunk goes on in shorter pieces.
                    progress.callDone()
                    guard let rest = DayRange(from: piece.from, to: chunk.to) else { throw error }
                    let shorter = rest.chunks(of: limit)
                    progress.callsAdded(1 + shorter.count - (pieces.count - index))
                    logger.info(
                        "the service refused a range; cutting the chunk",
                        metadata: ["appKey": "\(key.appKey)", "chunk": "\(chunk)", "days": "\(limit)"])
                    pieces = Array(pieces[..<index]) + shorter
                }
            }
            if let sink {
                do {
                    try await sink(key, chunk, days)
                } catch {
                    return .fatal(.store("\(error)"))
                }
            }
            return .fetched(key: k, chunk: c, days: days)
        } catch let error as TTIDError {
            // A refused token is no keyusage call: nothing was asked of the service for this chunk.
            let called = error.endpoint != "token"
            if called { progress.callDone() }
            switch error.kind {
            case .quotaExceeded: return .quotaSpent(key: k, chunk: c, counted: called)
            case .credentialsRefused: return .fatal(.credentialsRefused(error))
            case .refused, .failStatus: return .refused(key: k, reason: error.description)
            case .transient:
                if let stalled = error.stalledFor { return .fatal(.throttled(error, for: stalled)) }
                return .fatal(.unavailable(error, retries: retries))
            }
        } catch is CallGate.Closed {
            return .stopped
        } catch is CancellationError {
            return .stopped
        } catch {
            progress.callDone()
            return .fatal(.other("\(error)"))
        }
    }

    /// One keyusage call for `piece` of a key's chunk, retried as the policy says, normalized into its days.
    private func fetch(
        key: KeyEntry, piece: DayRange, source: some KeyUsageFetching, today: Day, progress: FetchProgress,
        retried: (Int) -> Void
    ) async throws -> [DayUsage] {
        let series = try await retry.run(
            onRetry: { attempt, error, delay in
                retried(attempt)
                progress.retried()
                logger.debug(
                    "retrying",
                    metadata: [
                        "appKey": "\(key.appKey)", "chunk": "\(piece)", "retry": "\(attempt)",
                        "delay": "\(delay)", "error": "\(error)",
                    ])
            },
            onThrottle: { _, _ in
                progress.throttled()
            }
        ) {
            try await source.keyUsage(
                appKey: key.appKey, userId: key.userId, startDate: piece.from.description,
                endDate: piece.to.description)
        }
        progress.callDone()
        if series.otherKeysOnly > 0 {
            logger.warning(
                "the answer held the series of \(series.otherKeysOnly) other keys and none for this key; its days are missing",
                metadata: ["appKey": "\(key.appKey)", "chunk": "\(piece)"])
        }
        if let position = series.unfollowedPosition {
            logger.warning(
                "the answer carried a position beside the whole series; not followed",
                metadata: ["appKey": "\(key.appKey)", "chunk": "\(piece)", "position": "\(position)"])
        }
        let figures = series.days.map {
            UsageFigure(
                used: $0.used, remaining: $0.remaining,
                date: $0.date.flatMap { Day(dateOrUTCTimestamp: $0) })
        }
        var stated: DayRange?
        if let start = series.statedStart.flatMap({ Day(dateOrUTCTimestamp: $0) }),
            let end = series.statedEnd.flatMap({ Day(dateOrUTCTimestamp: $0) })
        {
            stated = DayRange(from: start, to: end)
        }
        let (days, discrepancy) = Normalizer.days(of: piece, from: figures, stated: stated, today: today)
        if let discrepancy, !series.days.isEmpty {
            logger.warning(
                "a chunk returned \(discrepancy.returned) days of \(discrepancy.asked) asked; days it cannot vouch for are missing",
                metadata: ["appKey": "\(key.appKey)", "chunk": "\(piece)"])
        }
        return days
    }
}
