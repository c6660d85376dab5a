import Foundation
import UsageCore

/// report.json's `previousMonth`: the days of the month before the range that a billing export fetched for the
/// month-over-month columns, key by key (by app key), so that `render --input` compares months as the export did.
struct PreviousMonthJSON: Codable, Hashable {
    struct Key: Codable, Hashable {
        var appKey: String
        var days: [DayUsage]
    }

    var range: DayRange
    var keys: [Key]

    init(_ previous: PreviousMonth, keys entries: [KeyEntry]) {
        range = previous.range
        keys = zip(entries, previous.days).map { Key(appKey: $0.appKey, days: $1) }
    }

    /// The month before `asked` for the dataset's keys, in their order (a key not listed has no days), or
    /// ``Mismatch`` when the range is not the whole month just before `asked` or a day lies outside it.
    func month(for entries: [KeyEntry], before asked: DayRange) throws(Mismatch) -> PreviousMonth {
        guard PreviousMonth.range(before: asked) == range else {
            throw Mismatch(problem: "previousMonth: \(range) is not the month before \(asked)")
        }
        var byKey: [String: [DayUsage]] = [:]
        var total = 0
        for (index, key) in keys.enumerated() {
            guard key.days.allSatisfy({ range.contains($0.date) }) else {
                throw Mismatch(problem: "previousMonth: a day of \(key.appKey) is outside \(range)")
            }
            for (offset, day) in key.days.enumerated() {
                for (field, value) in [("used", day.used), ("remaining", day.remaining)] {
                    guard let value else { continue }
                    guard (0...DayUsage.maxCount).contains(value), let sum = DayUsage.adding(value, to: total) else {
                        throw Mismatch(
                            problem: "previousMonth.keys[\(index)].days[\(offset)].\(field): \(value) is not a count "
                                + "TT reports for a day (0 to \(DayUsage.maxCount)), or the counts add up past an "
                                + "integer")
                    }
                    total = sum
                }
            }
            byKey[key.appKey] = key.days
        }
        return PreviousMonth(range: range, days: entries.map { byKey[$0.appKey] ?? [] })
    }

    /// A `previousMonth` that does not fit the report's range.
    struct Mismatch: Error {
        var problem: String
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(context), let DecodingError.keyNotFound(_, context),
            let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(path.isEmpty ? "" : path + ": ")\(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
