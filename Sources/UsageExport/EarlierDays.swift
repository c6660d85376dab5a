import UsageCore
import UsageStore

/// What the usage store holds of each key before a report's range, for the audit's rule of new keys: a key the
/// store saw calling before the range is not new, and the store's earlier quiet days count toward the stretch
/// that makes a first call new.
public enum EarlierDays {
    /// How many days before the range the store is read.
    public static let lookback = 366

    /// Each key's earlier days in the store (by app key); keys the store holds nothing earlier for are absent.
    public static func read(
        _ store: UsageStore, service: StoredService, keys: [KeyEntry], before first: Day
    ) async throws -> [String: EarlierUsage] {
        guard let range = DayRange(from: first.adding(days: -lookback), to: first.adding(days: -1)) else { return [:] }
        let held = try await store.held(service: service, keys: keys, range: range)
        var earlier: [String: EarlierUsage] = [:]
        for (key, days) in zip(keys, held) {
            let summary = EarlierUsage(
                days: days.map {
                    DayUsage(date: $0.key, used: $0.value.used, remaining: $0.value.remaining, status: .ok)
                })
            if let summary { earlier[key.appKey] = summary }
        }
        return earlier
    }
}
