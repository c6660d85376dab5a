import Foundation
import UsageCore

/// Reads report.json back into a dataset in one pass over its bytes (a JSONDecoder tree of a year of a thousand
/// keys takes several times the memory of the report), checking what `ReportJSON.encode` guarantees: the schema
/// version, one day per day of the range for each key that did not fail, counts only on reported days, and a
/// failure for each failed key. The tables are skipped: they are built again from the template.
struct ReportJSONDecoder {
    private typealias Failure = JSONScanner.Failure

    private struct Key {
        var appKey: String?
        var userId: String?
        var label: String?
        var status: KeyStatus?
        var days: [DayUsage]?
    }

    let source: String

    /// Ends the probe for the schema version once it is read.
    private struct VersionFound: Error {}

    func decode(_ data: Data) throws -> UsageDataset {
        try data.withUnsafeBytes { raw in
            do {
                return try decode(raw)
            } catch let failure as Failure {
                let scanner = JSONScanner(raw)
                throw invalid("\(failure.message) (line \(scanner.line(of: failure.offset)))")
            }
        }
    }

    private func decode(_ raw: UnsafeRawBufferPointer) throws -> UsageDataset {
        // The version first, so that a newer layout is named as such rather than as malformed.
        var probe = JSONScanner(raw)
        guard probe.peek() == UInt8(ascii: "{") else {
            throw Failure(message: "not valid JSON: a report is an object", offset: 0)
        }
        // ReportJSON.encode writes it first: the probe stops there rather than scanning the whole report twice.
        var version: Int?
        do {
            try probe.object { scanner, key in
                guard key == "schemaVersion" else { return try scanner.skipValue() }
                version = try integer(&scanner, "schemaVersion")
                throw VersionFound()
            }
        } catch is VersionFound {}
        guard let version else { throw invalid("missing \"schemaVersion\"") }
        guard version == ReportJSON.schemaVersion else {
            throw invalid("schemaVersion \(version) is not supported (this ttusage reads \(ReportJSON.schemaVersion))")
        }

        var scanner = JSONScanner(raw)
        var generatedAt: String?
        var environment: String?
        var from: Day?
        var to: Day?
        var keys: [Key]?
        var failures: [KeyFailure] = []
        var options: [(name: String, value: String)] = []
        var previous: PreviousMonthJSON?
        var earlier: [EarlierUsageJSON] = []
        try scanner.object { scanner, member in
            switch member {
            case "earlierUsage":
                do {
                    earlier = try JSONDecoder().decode([EarlierUsageJSON].self, from: Data(try scanner.rawValue()))
                } catch {
                    throw invalid("earlierUsage: \(PreviousMonthJSON.describe(error))")
                }
            case "previousMonth":
                let raw = try scanner.rawValue()
                do {
                    previous = try JSONDecoder().decode(PreviousMonthJSON.self, from: Data(raw))
                } catch {
                    throw invalid("previousMonth: \(PreviousMonthJSON.describe(error))")
                }
            case "generatedAt": generatedAt = try text(&scanner, "generatedAt")
            case "environment": environment = try text(&scanner, "environment")
            case "range":
                try object(&scanner, "range") { scanner, key in
                    switch key {
                    case "from": from = try day(&scanner, "range.from")
                    case "to": to = try day(&scanner, "range.to")
                    default: try scanner.skipValue()
                    }
                }
            case "keys":
                var list: [Key] = []
                try array(&scanner, "keys") { scanner, index in list.append(try key(&scanner, index)) }
                keys = list
            case "failures":
                try array(&scanner, "failures") { scanner, index in failures.append(try failure(&scanner, index)) }
            case "options":
                try array(&scanner, "options") { scanner, index in
                    var name: String?
                    var value: String?
                    try object(&scanner, "options[\(index)]") { scanner, key in
                        switch key {
                        case "name": name = try text(&scanner, "options[\(index)].name")
                        case "value": value = try text(&scanner, "options[\(index)].value")
                        default: try scanner.skipValue()
                        }
                    }
                    guard let name, let value else { throw invalid("options[\(index)]: needs name and value") }
                    options.append((name, value))
                }
            default: try scanner.skipValue()
            }
        }
        guard scanner.atEnd() else {
            throw Failure(message: "not valid JSON: more after the report's object", offset: scanner.offset)
        }

        guard let generatedAtText = generatedAt else { throw invalid("missing \"generatedAt\"") }
        guard let generated = JSONText.parseTimestamp(generatedAtText) else {
            throw invalid("generatedAt \"\(generatedAtText)\" is not an ISO 8601 time with a zone")
        }
        guard let environment else { throw invalid("missing \"environment\"") }
        guard let from, let to else { throw invalid("range: needs from and to") }
        guard let range = DayRange(from: from, to: to) else {
            throw invalid("range: ends (\(to.isoText)) before it starts (\(from.isoText))")
        }
        guard let keys else { throw invalid("missing \"keys\"") }
        var dataset = UsageDataset(
            generatedAt: generated, environment: environment, range: range,
            keys: try usages(keys, failures: failures, range: range), options: options)
        guard let known = EarlierUsageJSON.dataset(earlier, before: range) else {
            throw invalid("earlierUsage: a day is not before the range")
        }
        dataset.earlier = known
        if let previous {
            do {
                dataset.previous = try previous.month(for: dataset.keys.map(\.key), before: range)
            } catch {
                throw invalid(error.problem)
            }
        }
        return dataset
    }

    // MARK: - Keys

    private func key(_ scanner: inout JSONScanner, _ index: Int) throws -> Key {
        var key = Key()
        try object(&scanner, "keys[\(index)]") { scanner, member in
            switch member {
            case "appKey": key.appKey = try text(&scanner, "keys[\(index)].appKey")
            case "userId": key.userId = try text(&scanner, "keys[\(index)].userId")
            case "label": key.label = try text(&scanner, "keys[\(index)].label")
            case "status":
                let name = try text(&scanner, "keys[\(index)].status")
                guard let status = KeyStatus(rawValue: name) else {
                    throw invalid("keys[\(index)].status: \"\(name)\" is not complete, incomplete or failed")
                }
                key.status = status
            case "days":
                var days: [DayUsage] = []
                try array(&scanner, "keys[\(index)].days") { scanner, offset in
                    days.append(try day(&scanner, key: index, offset: offset))
                }
                key.days = days
            default: try scanner.skipValue()
            }
        }
        return key
    }

    private func day(_ scanner: inout JSONScanner, key: Int, offset: Int) throws -> DayUsage {
        if let day = writtenDay(&scanner) { return day }
        var date: Day?
        var used: Int?
        var remaining: Int?
        var status: DayStatus?
        try object(&scanner, "keys[\(key)].days[\(offset)]") { scanner, member in
            switch member {
            case "date": date = try day(&scanner, "keys[\(key)].days[\(offset)].date")
            case "used": used = try count(&scanner, "keys[\(key)].days[\(offset)].used")
            case "remaining": remaining = try count(&scanner, "keys[\(key)].days[\(offset)].remaining")
            case "status":
                let name = try text(&scanner, "keys[\(key)].days[\(offset)].status")
                guard let value = DayStatus(rawValue: name) else {
                    throw invalid("keys[\(key)].days[\(offset)].status: \"\(name)\" is not ok, provisional or missing")
                }
                status = value
            default: try scanner.skipValue()
            }
        }
        guard let date, let status else { throw invalid("keys[\(key)].days[\(offset)]: needs date and status") }
        return DayUsage(date: date, used: used, remaining: remaining, status: status)
    }

    /// A day in the layout `ReportJSON.encode` writes
    /// (`{"date": "2026-10-01", "used": 12, "remaining": 4988, "status": "ok"}`, whitespace between its tokens
    /// aside), read straight from the bytes; `nil`, with nothing consumed, for any other layout or value, which
    /// the general reader then reads (and names, when it is wrong).
    private func writtenDay(_ scanner: inout JSONScanner) -> DayUsage? {
        var probe = scanner
        guard probe.match("{\"date\": "), let date = probe.plainDay(), probe.match(", \"used\": "),
            let used = probe.plainCount(), probe.match(", \"remaining\": "), let remaining = probe.plainCount()
        else { return nil }
        // Each status with its quotes in one piece: `match` skips whitespace before it, never inside a text.
        let status: DayStatus
        if probe.match(", \"status\": \"ok\"}") {
            status = .ok
        } else if probe.match(", \"status\": \"missing\"}") {
            status = .missing
        } else if probe.match(", \"status\": \"provisional\"}") {
            status = .provisional
        } else {
            return nil
        }
        guard (used ?? 0) <= DayUsage.maxCount, (remaining ?? 0) <= DayUsage.maxCount else { return nil }
        scanner = probe
        return DayUsage(date: date, used: used, remaining: remaining, status: status)
    }

    private func failure(_ scanner: inout JSONScanner, _ index: Int) throws -> KeyFailure {
        var fields: [String: String] = [:]
        try object(&scanner, "failures[\(index)]") { scanner, member in
            switch member {
            case "appKey", "userId", "label", "reason":
                fields[member] = try text(&scanner, "failures[\(index)].\(member)")
            default: try scanner.skipValue()
            }
        }
        guard let appKey = fields["appKey"], let userId = fields["userId"], let label = fields["label"],
            let reason = fields["reason"]
        else { throw invalid("failures[\(index)]: needs appKey, userId, label and reason") }
        return KeyFailure(appKey: appKey, userId: userId, label: label, reason: reason)
    }

    /// The keys as usages, checked against the range and the failures.
    private func usages(_ keys: [Key], failures: [KeyFailure], range: DayRange) throws -> [KeyUsage] {
        var failures = failures[...]
        var total = 0
        var usages: [KeyUsage] = []
        usages.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() {
            guard let appKey = key.appKey, let userId = key.userId, let label = key.label, let status = key.status,
                let days = key.days
            else { throw invalid("keys[\(index)]: needs appKey, userId, label, status and days") }
            let entry = KeyEntry(appKey: appKey, userId: userId, label: label)
            if status == .failed {
                guard days.isEmpty else { throw invalid("keys[\(index)] failed but has days") }
                guard let failure = failures.first, failure.appKey == appKey, failure.userId == userId else {
                    throw invalid("keys[\(index)] (\(appKey)) failed but is not the next entry under failures")
                }
                failures = failures.dropFirst()
                usages.append(KeyUsage(key: entry, days: [], failureReason: failure.reason))
                continue
            }
            guard days.count == range.count else {
                throw invalid(
                    "keys[\(index)] has \(days.count) days; the range \(range.from.isoText) to "
                        + "\(range.to.isoText) has \(range.count)")
            }
            for (offset, day) in days.enumerated() {
                let expected = range.from.ordinal + offset
                guard day.date.ordinal == expected else {
                    throw invalid(
                        "keys[\(index)].days[\(offset)]: date \(day.date.isoText), expected "
                            + Day(ordinal: expected).isoText)
                }
                switch day.status {
                case .missing:
                    guard day.used == nil, day.remaining == nil else {
                        throw invalid(
                            "keys[\(index)].days[\(offset)]: a missing day has no counts "
                                + "(used and remaining must be null)")
                    }
                case .ok, .provisional:
                    guard let used = day.used else {
                        throw invalid("keys[\(index)].days[\(offset)]: a reported day needs `used`")
                    }
                    guard used >= 0, (day.remaining ?? 0) >= 0 else {
                        throw invalid("keys[\(index)].days[\(offset)]: negative count")
                    }
                    guard let sum = DayUsage.adding(used, to: total).flatMap({ DayUsage.adding(day.remaining, to: $0) })
                    else {
                        throw invalid(
                            "keys[\(index)].days[\(offset)].used: the report's counts add up to more than a "
                                + "64-bit integer holds")
                    }
                    total = sum
                }
            }
            let usage = KeyUsage(key: entry, days: days)
            guard usage.status == status else {
                throw invalid("keys[\(index)] says \(status.rawValue) but its days make it \(usage.status.rawValue)")
            }
            usages.append(usage)
        }
        if let extra = failures.first {
            throw invalid("failures lists \(extra.appKey), which is not a failed key")
        }
        return usages
    }

    // MARK: - Typed values

    private func text(_ scanner: inout JSONScanner, _ path: @autoclosure () -> String) throws -> String {
        guard scanner.peek() == UInt8(ascii: "\"") else { throw mismatch(&scanner, path(), "text") }
        return try scanner.string()
    }

    private func integer(_ scanner: inout JSONScanner, _ path: @autoclosure () -> String) throws -> Int {
        guard let next = scanner.peek(), next == UInt8(ascii: "-") || (0x30...0x39).contains(next) else {
            throw mismatch(&scanner, path(), "a number")
        }
        do {
            return try scanner.integer()
        } catch let failure as Failure {
            throw invalid("\(path()): \(failure.message)")
        }
    }

    /// A day's count: null, or 0 to ``DayUsage/maxCount`` (a larger one would overflow the report's sums).
    private func count(_ scanner: inout JSONScanner, _ path: @autoclosure () -> String) throws -> Int? {
        guard let value = try optionalInteger(&scanner, path()) else { return nil }
        guard (0...DayUsage.maxCount).contains(value) else {
            throw invalid(
                "\(path()): \(value) is not a count TT reports for a day (0 to \(DayUsage.maxCount))")
        }
        return value
    }

    private func optionalInteger(_ scanner: inout JSONScanner, _ path: @autoclosure () -> String) throws -> Int? {
        if try scanner.null() { return nil }
        return try integer(&scanner, path())
    }

    private func day(_ scanner: inout JSONScanner, _ path: @autoclosure () -> String) throws -> Day {
        guard scanner.peek() == UInt8(ascii: "\"") else { throw mismatch(&scanner, path(), "text") }
        let (day, text) = try scanner.dayAndText()
        guard let day else { throw invalid("\(path()): \"\(text)\" is not a YYYY-MM-DD day") }
        return day
    }

    private func object(
        _ scanner: inout JSONScanner, _ path: @autoclosure () -> String,
        _ member: (inout JSONScanner, String) throws -> Void
    ) throws {
        guard scanner.peek() == UInt8(ascii: "{") else { throw mismatch(&scanner, path(), "an object") }
        try scanner.object(member)
    }

    private func array(
        _ scanner: inout JSONScanner, _ path: @autoclosure () -> String,
        _ element: (inout JSONScanner, Int) throws -> Void
    ) throws {
        guard scanner.peek() == UInt8(ascii: "[") else { throw mismatch(&scanner, path(), "a list") }
        try scanner.array(element)
    }

    private func mismatch(_ scanner: inout JSONScanner, _ path: String, _ expected: String) -> ReportError {
        // A bracket or comma where a value belongs is broken JSON, not a value of the wrong kind.
        let syntax = scanner.valueComesNext() ? "" : "not valid JSON: "
        return invalid("\(syntax)\(path): expected \(expected), found \(scanner.nextKind())")
    }

    private func invalid(_ problem: String) -> ReportError {
        ReportError.invalidReport(source: source, problem: problem)
    }
}
