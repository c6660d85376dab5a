import UsageCore

/// Sums a dataset's calls per customer and calendar month, with the month before and what makes a month
/// incomplete. A pure function of the dataset.
package enum CustomerMonths {
    /// Each customer's keys (indices into the dataset's keys), customers in manifest order of first appearance;
    /// labels that differ in any scalar (case, Unicode normalisation) are customers of their own.
    package static func customers(of dataset: UsageDataset) -> [(name: String, keys: [Int])] {
        var order: [CustomerName] = []
        var members: [CustomerName: [Int]] = [:]
        for (index, usage) in dataset.keys.enumerated() {
            let name = CustomerName(usage.key.label.isEmpty ? usage.key.appKey : usage.key.label)
            if members[name] == nil { order.append(name) }
            members[name, default: []].append(index)
        }
        return order.map { ($0.text, members[$0] ?? []) }
    }

    /// The calendar months the range touches, each cut to the range.
    package static func months(of range: DayRange) -> [(whole: DayRange, inside: DayRange)] {
        var result: [(DayRange, DayRange)] = []
        var start = range.from
        while start <= range.to {
            let (year, month, _) = start.components
            guard let whole = DayRange(year: year, month: month),
                let inside = DayRange(from: start, to: min(whole.to, range.to))
            else { break }
            result.append((whole, inside))
            start = whole.to.adding(days: 1)
        }
        return result
    }

    /// One row per customer and month, by month then customer (case folded).
    package static func build(_ dataset: UsageDataset) -> [CustomerMonth] {
        let customers = customers(of: dataset).sorted {
            let (a, b) = ($0.name.lowercased(), $1.name.lowercased())
            return a != b ? a < b : $0.name < $1.name
        }
        var rows: [CustomerMonth] = []
        for (whole, inside) in months(of: dataset.range) {
            let (year, month, _) = whole.from.components
            let label = "\(year)-\(month < 10 ? "0" : "")\(month)"
            for customer in customers {
                let tally = Tally(dataset.keys, customer.keys, inside)
                var notes: [String] = []
                if tally.refused > 0 {
                    notes.append(tally.refused == 1 ? "1 key refused" : "\(tally.refused) keys refused")
                }
                if tally.missing > 0 {
                    notes.append(tally.missing == 1 ? "1 day missing" : "\(tally.missing) days missing")
                }
                if !tally.provisional.isEmpty {
                    notes.append("provisional: " + tally.provisional.map(\.description).joined(separator: ", "))
                }
                if inside != whole {
                    switch (inside.from == whole.from, inside.to == whole.to) {
                    case (false, true): notes.append("partial month: from \(inside.from)")
                    case (true, false): notes.append("partial month: to \(inside.to)")
                    default: notes.append("partial month: \(inside.from) to \(inside.to)")
                    }
                }
                rows.append(
                    CustomerMonth(
                        month: label, customer: customer.name, keys: customer.keys.count, calls: tally.calls,
                        previousCalls: previousCalls(before: whole, keys: customer.keys, dataset), notes: notes))
            }
        }
        return rows
    }

    /// The customer's calls in the month before `month`, when the dataset or its `previous` holds every day of it.
    private static func previousCalls(before month: DayRange, keys: [Int], _ dataset: UsageDataset) -> Int? {
        guard let before = PreviousMonth.range(before: month) else { return nil }
        let tally: Tally
        if dataset.range.contains(before.from), dataset.range.contains(before.to) {
            tally = Tally(dataset.keys, keys, before)
        } else if let previous = dataset.previous, previous.range.contains(before.from),
            previous.range.contains(before.to)
        {
            tally = Tally(keys.map { $0 < previous.days.count ? previous.days[$0] : [] }, before)
        } else {
            return nil
        }
        return tally.isWhole(before) ? tally.calls : nil
    }
}

/// Calls and holes of some keys over some days.
private struct Tally {
    var calls = 0
    var reported = 0
    var missing = 0
    var refused = 0
    var provisional: [Day] = []

    init(_ keys: [KeyUsage], _ members: [Int], _ range: DayRange) {
        self.init(members.map { keys[$0].status == .failed ? nil : keys[$0].days }, range)
    }

    /// `series[k]` is one key's days, or `nil` for a refused key.
    init(_ series: [[DayUsage]?], _ range: DayRange) {
        var provisional: Set<Day> = []
        for days in series {
            guard let days else {
                refused += 1
                continue
            }
            var seen = 0
            for day in days where range.contains(day.date) {
                seen += 1
                switch day.status {
                case .missing: missing += 1
                case .provisional:
                    provisional.insert(day.date)
                    fallthrough
                case .ok:
                    calls += day.used ?? 0
                    reported += 1
                }
            }
            missing += range.count - seen
        }
        self.provisional = provisional.sorted()
    }

    /// Whether every key reported every day of `range`, settled.
    func isWhole(_ range: DayRange) -> Bool { refused == 0 && missing == 0 && provisional.isEmpty }
}
