import Foundation
import UsageCore

/// A day a store already holds for a key.
public struct StoredUsage: Sendable, Hashable {
    public var used: Int
    public var remaining: Int?
    /// Whether the day had ended more than an hour before it was fetched (TT says data can take 30 minutes).
    public var settled: Bool

    public init(used: Int, remaining: Int?, settled: Bool) {
        self.used = used
        self.remaining = remaining
        self.settled = settled
    }

    /// Whether `day` had ended more than an hour before `fetchedAt`.
    public static func isSettled(_ day: Day, fetchedAt: Date) -> Bool {
        fetchedAt.timeIntervalSince(day.adding(days: 1).start) > 3600
    }
}

/// A plan less the chunks a store already holds whole and settled: those are not fetched again.
public struct IncrementalPlan: Sendable, Hashable {
    public let plan: ExportPlan
    /// For each key and chunk, the days taken from the store, or `nil` when the chunk is fetched.
    public let stored: [[[DayUsage]?]]
    /// keyusage calls still to make.
    public let callsNeeded: Int
    /// Key-days that come from the store.
    public let keyDaysFromStore: Int

    /// `held[k]` is what the store holds for key `k` over the plan's range; `refresh` fetches everything.
    public init(plan: ExportPlan, held: [[Day: StoredUsage]], today: Day, refresh: Bool = false) {
        self.plan = plan
        var stored: [[[DayUsage]?]] = []
        var calls = 0
        var fromStore = 0
        for k in plan.keys.indices {
            let days = k < held.count ? held[k] : [:]
            var row: [[DayUsage]?] = []
            for chunk in plan.chunks {
                var whole: [DayUsage]? = refresh ? nil : []
                if !refresh {
                    for day in chunk {
                        guard let usage = days[day], usage.settled else {
                            whole = nil
                            break
                        }
                        whole?.append(
                            DayUsage(
                                date: day, used: usage.used, remaining: usage.remaining,
                                status: Normalizer.status(of: day, today: today)))
                    }
                }
                if let whole {
                    fromStore += whole.count
                } else {
                    calls += 1
                }
                row.append(whole)
            }
            stored.append(row)
        }
        self.stored = stored
        self.callsNeeded = calls
        self.keyDaysFromStore = fromStore
    }

    /// A plan that fetches everything (no store).
    public init(plan: ExportPlan) {
        self.plan = plan
        self.stored = Array(repeating: Array(repeating: nil, count: plan.chunks.count), count: plan.keys.count)
        self.callsNeeded = plan.calls
        self.keyDaysFromStore = 0
    }

    /// The report built from stored days alone: days the store lacks are `missing`, unsettled ones `provisional`.
    public static func dataset(
        keys: [KeyEntry], range: DayRange, held: [[Day: StoredUsage]], environment: String, today: Day,
        generatedAt: Date, options: [(name: String, value: String)] = []
    ) -> UsageDataset {
        let usages = keys.enumerated().map { k, key in
            let days = k < held.count ? held[k] : [:]
            return KeyUsage(
                key: key,
                days: range.map { day in
                    guard let usage = days[day] else { return DayUsage.missing(day) }
                    let status: DayStatus = usage.settled && day != today ? .ok : .provisional
                    return DayUsage(date: day, used: usage.used, remaining: usage.remaining, status: status)
                })
        }
        return UsageDataset(
            generatedAt: generatedAt, environment: environment, range: range, keys: usages,
            options: options)
    }
}

extension UsageStore {
    /// The incremental plan of `plan` for `service`: what this store holds settled is not fetched again.
    public func incremental(plan: ExportPlan, service: StoredService, today: Day, refresh: Bool) async throws
        -> IncrementalPlan
    {
        let held = try await held(service: service, keys: plan.keys, range: plan.range)
        return IncrementalPlan(plan: plan, held: held, today: today, refresh: refresh)
    }
}
