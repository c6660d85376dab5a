import Foundation
import UsageCore

/// What changed between two reports of overlapping ranges (`ttusage diff OLD NEW`): the key-days whose `used` or
/// status changed, and, when both reports hold invoices, the invoices whose amount changed. A pure function of
/// the two reports, so a finance team can see exactly what to credit or charge after a restatement.
public struct ReportDiff: Sendable {
    /// One key-day that differs (a key in one report only has an empty other side).
    public struct KeyDayChange: Sendable, Hashable {
        public var date: Day
        public var key: KeyEntry
        public var old: DayUsage?
        public var new: DayUsage?

        /// `new.used − old.used`, when both are known.
        public var delta: Int? {
            guard let old = old?.used, let new = new?.used else { return nil }
            return new - old
        }
    }

    /// One invoice whose amount differs, or that only one report holds (for a month both hold).
    public struct InvoiceChange: Sendable, Hashable {
        public var month: String
        public var customer: String
        public var old: Decimal?
        public var new: Decimal?
        public var currency: CurrencyCode

        /// `new − old`, an absent side counting as 0.
        public var delta: Decimal { (new ?? 0) - (old ?? 0) }
    }

    /// The days both reports cover.
    public var overlap: DayRange
    public var keyDays: [KeyDayChange]
    /// `nil` unless both reports hold invoices.
    public var invoices: [InvoiceChange]?

    /// Whether the two reports agree over the overlap.
    public var isSame: Bool { keyDays.isEmpty && (invoices ?? []).isEmpty }

    /// Compares `old` with `new`.
    ///
    /// - Throws: `ReportError` `.dataError` when the ranges do not overlap.
    public init(old: SavedReport, new: SavedReport) throws {
        try Self.checkAlike(old, new)
        guard
            let overlap = DayRange(
                from: max(old.dataset.range.from, new.dataset.range.from),
                to: min(old.dataset.range.to, new.dataset.range.to))
        else {
            throw ReportError.invalidReport(
                source: new.source,
                problem: "its range \(new.dataset.range.from) to \(new.dataset.range.to) does not overlap "
                    + "\(old.source)'s, \(old.dataset.range.from) to \(old.dataset.range.to)")
        }
        self.overlap = overlap
        keyDays = Self.keyDays(old.dataset, new.dataset, over: overlap)
        if let before = old.invoices, let after = new.invoices {
            invoices = Self.invoices(before, after)
        }
    }

    /// Two reports compare only when they come from one environment and one service and were made with one
    /// template: a production report set against a UAT one would say "no change" about figures that never met.
    static func checkAlike(_ old: SavedReport, _ new: SavedReport) throws {
        let sides: [(what: String, old: String?, new: String?)] = [
            ("environment", old.dataset.environment, new.dataset.environment),
            ("service", old.service, new.service),
            ("template", old.template, new.template),
        ]
        for side in sides {
            guard let before = side.old, let after = side.new, before != after else { continue }
            throw ReportError.invalidReport(
                source: new.source,
                problem: "it is of the \(side.what) \(after) and \(old.source) of the \(side.what) \(before): "
                    + "diff compares reports of one environment, service and template")
        }
    }

    private static func keyDays(_ old: UsageDataset, _ new: UsageDataset, over overlap: DayRange) -> [KeyDayChange] {
        func index(_ dataset: UsageDataset) -> [String: (KeyEntry, [Day: DayUsage])] {
            var result: [String: (KeyEntry, [Day: DayUsage])] = [:]
            for usage in dataset.keys {
                let days = usage.days.filter { overlap.contains($0.date) }
                result[usage.key.appKey] = (usage.key, Dictionary(days.map { ($0.date, $0) }, uniquingKeysWith: { $1 }))
            }
            return result
        }
        let before = index(old)
        let after = index(new)
        // Keys in NEW's manifest order, then those only OLD holds in its order.
        let order = new.keys.map(\.key.appKey) + old.keys.map(\.key.appKey).filter { after[$0] == nil }
        var changes: [KeyDayChange] = []
        for day in overlap {
            for appKey in order {
                let was = before[appKey]?.1[day]
                let now = after[appKey]?.1[day]
                guard was?.used != now?.used || was?.status != now?.status,
                    let key = after[appKey]?.0 ?? before[appKey]?.0
                else { continue }
                changes.append(KeyDayChange(date: day, key: key, old: was, new: now))
            }
        }
        return changes
    }

    private static func invoices(_ old: [SavedReport.Amount], _ new: [SavedReport.Amount]) -> [InvoiceChange] {
        let months = Set(old.map(\.month)).intersection(new.map(\.month))
        func index(_ list: [SavedReport.Amount]) -> [String: SavedReport.Amount] {
            Dictionary(
                list.filter { months.contains($0.month) }.map { ("\($0.month)\u{0}\($0.customer)", $0) },
                uniquingKeysWith: { $1 })
        }
        let before = index(old)
        let after = index(new)
        var changes: [InvoiceChange] = []
        for id in Set(before.keys).union(after.keys) {
            let was = before[id]
            let now = after[id]
            guard was?.amount != now?.amount || was?.currency != now?.currency, let any = now ?? was else { continue }
            changes.append(
                InvoiceChange(
                    month: any.month, customer: any.customer, old: was?.amount, new: now?.amount,
                    currency: any.currency))
        }
        return changes.sorted {
            ($0.month, $0.customer.lowercased(), $0.customer) < ($1.month, $1.customer.lowercased(), $1.customer)
        }
    }
}
