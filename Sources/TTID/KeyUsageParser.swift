import Foundation

/// Finds one key's daily series in a keyusage body, whatever shape TT passes through.
///
/// TT publishes no schema. Accepted: AWS's `{"values":{"<key>":[[used,remaining],…]}}`, the SDKs' `items`, either
/// of them at the top or one level down inside an envelope of TT's own, a bare array of pairs, and pairs written
/// as objects (`{"used":…, "remaining":…, "date":…}`).
enum KeyUsageParser {
    /// What one page of a keyusage answer holds.
    struct Page: Equatable {
        /// The series of the key asked for, or `nil` when this page does not hold it.
        var series: [UsageDatum]?
        /// The paging token for the next page, if any.
        var position: String?
        /// TT's `lastPage` flag, when present.
        var lastPage: Bool?
        /// The `startDate` and `endDate` stated beside the series (AWS's wire format), when present.
        var statedStart: String? = nil
        var statedEnd: String? = nil
        /// How many series of other keys the page held when it held none of the key asked for.
        var otherSeries = 0
    }

    enum Failure: Error, Equatable {
        /// Not JSON, or JSON of a shape with no series anywhere.
        case malformed(String)
        /// HTTP 200 with `"status":"Fail"` (or another non-Ok status).
        case failStatus(status: String, message: String)
    }

    static func parse(_ body: Data, appKey: String) throws(Failure) -> Page {
        guard JSONValue.nestingIsShallow(body) else {
            throw .malformed("the body nests deeper than \(JSONValue.maxDepth) levels")
        }
        guard let root = JSONValue.parse(body) else {
            throw .malformed("the body is not JSON (\(body.count) bytes)")
        }
        return try parse(root, appKey: appKey)
    }

    static func parse(_ root: JSONValue, appKey: String) throws(Failure) -> Page {
        if case .array = root {
            return Page(series: try series(from: root), position: nil, lastPage: nil)
        }
        guard let object = root.object else { throw .malformed("the body is neither a JSON object nor an array") }
        if let status = object["status"]?.string, !["ok", "success"].contains(status.lowercased()) {
            let message = object["status_message"]?.string ?? object["message"]?.string ?? ""
            throw .failStatus(status: status, message: message)
        }
        let lastPage = object["lastPage"].flatMap(Self.flag)
        // The top level first, then each object one level down (TT's envelope).
        var levels: [[String: JSONValue]] = [object]
        for key in object.keys.sorted() {
            if let inner = object[key]?.object { levels.append(inner) }
        }
        for level in levels {
            let position = level["position"]?.string ?? object["position"]?.string
            let start = level["startDate"]?.string ?? object["startDate"]?.string
            let end = level["endDate"]?.string ?? object["endDate"]?.string
            for mapName in ["values", "items"] {
                guard let container = level[mapName] else { continue }
                var page = Page(series: nil, position: position, lastPage: lastPage, statedStart: start, statedEnd: end)
                if case .array = container {
                    page.series = try series(from: container)
                    return page
                }
                guard let map = container.object else { throw .malformed("`\(mapName)` is neither a map nor a list") }
                if let found = lookUp(appKey, in: map, paged: position != nil) {
                    page.series = try series(from: found)
                } else {
                    page.otherSeries = map.count
                }
                return page
            }
        }
        throw .malformed("no `values` or `items` in the body")
    }

    /// The key exactly as asked, then the same key in another case, then the only series of an unpaged answer
    /// (AWS names the map by its own key id, which a pass-through may keep).
    private static func lookUp(_ appKey: String, in map: [String: JSONValue], paged: Bool) -> JSONValue? {
        if let exact = map[appKey] { return exact }
        if let folded = map.first(where: { $0.key.caseInsensitiveCompare(appKey) == .orderedSame }) {
            return folded.value
        }
        if !paged, map.count == 1, let only = map.first { return only.value }
        return nil
    }

    private static func series(from value: JSONValue) throws(Failure) -> [UsageDatum] {
        guard case .array(let entries) = value else { throw .malformed("the series is not a list") }
        var days: [UsageDatum] = []
        days.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            days.append(try datum(entry, index: index))
        }
        return days
    }

    /// The largest count believed: no usage plan allows a trillion calls a day, and larger numbers would overflow
    /// the totals of a long range.
    static let maxCount = 1_000_000_000_000

    private static func datum(_ entry: JSONValue, index: Int) throws(Failure) -> UsageDatum {
        let datum = try rawDatum(entry, index: index)
        guard datum.used <= maxCount, (datum.remaining ?? 0) <= maxCount else {
            throw .malformed("day \(index + 1) has a count above \(maxCount)")
        }
        return datum
    }

    private static func rawDatum(_ entry: JSONValue, index: Int) throws(Failure) -> UsageDatum {
        switch entry {
        case .array(let pair):
            guard (1...3).contains(pair.count), let used = pair[0].wholeNumber, used >= 0 else {
                throw .malformed("day \(index + 1) is not a [used, remaining] pair of counts")
            }
            var remaining: Int?
            if pair.count > 1, pair[1] != .null {
                guard let value = pair[1].wholeNumber, value >= 0 else {
                    throw .malformed("day \(index + 1) has a remaining count that is not a count")
                }
                remaining = value
            }
            return UsageDatum(used: used, remaining: remaining)
        case .object(let fields):
            guard let used = (fields["used"] ?? fields["count"])?.wholeNumber, used >= 0 else {
                throw .malformed("day \(index + 1) has no `used` count")
            }
            var remaining: Int?
            if let value = fields["remaining"], value != .null {
                guard let count = value.wholeNumber, count >= 0 else {
                    throw .malformed("day \(index + 1) has a remaining count that is not a count")
                }
                remaining = count
            }
            let date = (fields["date"] ?? fields["day"])?.string
            return UsageDatum(used: used, remaining: remaining, date: date)
        default:
            throw .malformed("day \(index + 1) is neither a pair nor an object")
        }
    }

    private static func flag(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .string(let text): return Bool(text.lowercased())
        default: return nil
        }
    }
}
