import UsageCore

/// report.json's `earlierUsage`: what the store held of each key before the range when the report was built,
/// so that `render --input` judges new keys as the export did.
struct EarlierUsageJSON: Codable, Hashable {
    var appKey: String
    /// The earliest day the store held before the range.
    var firstDay: Day
    /// The last day before the range with a call.
    var lastCall: Day?

    /// The dataset's earlier days in manifest order.
    static func list(_ dataset: UsageDataset) -> [EarlierUsageJSON] {
        var seen: Set<String> = []
        return dataset.keys.compactMap { usage in
            let appKey = usage.key.appKey
            guard seen.insert(appKey).inserted, let earlier = dataset.earlier[appKey] else { return nil }
            return EarlierUsageJSON(appKey: appKey, firstDay: earlier.firstDay, lastCall: earlier.lastCall)
        }
    }

    /// The list as the dataset holds it, or `nil` when a day is not before `range`.
    static func dataset(_ list: [EarlierUsageJSON], before range: DayRange) -> [String: EarlierUsage]? {
        var earlier: [String: EarlierUsage] = [:]
        for item in list {
            guard item.firstDay < range.from, (item.lastCall.map { $0 < range.from && $0 >= item.firstDay } ?? true)
            else { return nil }
            earlier[item.appKey] = EarlierUsage(firstDay: item.firstDay, lastCall: item.lastCall)
        }
        return earlier
    }
}
