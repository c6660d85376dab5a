import Foundation
import Hummingbird

/// `GET /keyusage`: the usage model's figures in the configured shape, paged.
extension SandboxState {
    // MARK: GET /keyusage

    func keyUsage(_ query: [String: String]) -> SandboxAnswer {
        func required(_ name: String) -> String? {
            guard let value = query[name], !value.isEmpty else { return nil }
            return value
        }
        guard let appKey = required("appKey") else { return .ttFail(.badRequest, "Missing parameter appKey") }
        guard required("userId") != nil else { return .ttFail(.badRequest, "Missing parameter userId") }
        guard let startText = required("startDate") else {
            return .ttFail(.badRequest, "Missing parameter startDate")
        }
        guard let endText = required("endDate") else { return .ttFail(.badRequest, "Missing parameter endDate") }
        guard SandboxSyntax.isGUID(appKey) else { return .ttFail(.badRequest, "Invalid appKey") }
        guard let start = SandboxDay(startText) else {
            return .ttFail(.badRequest, "Invalid startDate: expected YYYY-MM-DD")
        }
        guard let end = SandboxDay(endText) else {
            return .ttFail(.badRequest, "Invalid endDate: expected YYYY-MM-DD")
        }
        guard start <= end else { return .ttFail(.badRequest, "endDate is before startDate") }
        let maxDays = self.configuration.maxRangeDays
        guard end.ordinal - start.ordinal < maxDays else {
            return .ttFail(.badRequest, "Date range exceeds \(maxDays) days")
        }
        if self.configuration.refusedKeys.contains(appKey) {
            return .ttFail(.badRequest, "User is not authorized to read the usage of this application key")
        }
        if self.configuration.forbiddenKeys.contains(appKey) {
            return .ttFail(.badRequest, "Permission denied")
        }
        let seed = self.configuration.seed
        let expectedPosition = SandboxSyntax.position(seed: seed, appKey: appKey, start: start, end: end)
        let position = query["position"].flatMap { $0.isEmpty ? nil : $0 }
        if let position, position != expectedPosition {
            return .ttFail(.badRequest, "Invalid position")
        }

        let now = self.configuration.now()
        let last = min(end, SandboxDay(containing: now))
        func series(_ key: String) -> [SandboxJSON] {
            guard start <= last else { return [] }
            return (start.ordinal...last.ordinal).map { ordinal in
                let day = SandboxDay(ordinal: ordinal)
                let (used, remaining) =
                    self.ownQuota(appKey: key, day: day, now: now)
                    ?? Self.figures(appKey: key, day: day, configuration: self.configuration, now: now)
                return .array([.int(used), .int(remaining)])
            }
        }

        var members: [(String, SandboxJSON)] = [
            ("usagePlanId", .string("sandbox-plan")),
            ("startDate", .string(startText)),
            ("endDate", .string(endText)),
        ]
        let seriesKey: String
        let pairs: [SandboxJSON]
        let firstOfPages = self.configuration.pagedKeys.contains(appKey) && position == nil
        if firstOfPages {
            seriesKey = SandboxSyntax.decoyKey(seed: seed, appKey: appKey)
            pairs = series(seriesKey)
            members.append(("position", .string(expectedPosition)))
        } else if self.configuration.emptyKeys.contains(appKey) {
            seriesKey = appKey
            pairs = []
        } else {
            seriesKey = appKey
            pairs = Array(series(appKey).prefix(max(0, self.configuration.shortKeys[appKey] ?? Int.max)))
        }
        let shape = self.configuration.shape
        members.append((shape == .items ? "items" : "values", .object([(seriesKey, .array(pairs))])))
        self.counters.keyUsageOK += 1
        guard shape == .envelope else { return .json(.ok, .object(members)) }
        return .json(
            .ok,
            .object([
                ("status", .string("Ok")),
                ("lastPage", .string(firstOfPages ? "false" : "true")),
                ("usage", .object(members)),
            ])
        )
    }

    /// Today's figures of a key the sandbox holds credentials for (the caller's own key): the quota it holds.
    func ownQuota(appKey: String, day: SandboxDay, now: Date) -> (Int, Int)? {
        guard let quota = self.configuration.dailyQuota, day == SandboxDay(containing: now),
            self.configuration.credentials.contains(where: { $0.appKey == appKey })
        else { return nil }
        let used = self.quotaUsed(appKey: appKey)
        return (used, max(0, quota - used))
    }

    /// A day's figures; today's is the share of the whole day's usage that has elapsed, rounded down.
    static func figures(
        appKey: String, day: SandboxDay, configuration: SandboxConfiguration, now: Date
    ) -> (Int, Int) {
        let whole = SandboxUsageModel.usage(appKey: appKey, day: day.text, configuration: configuration)
        let limit = whole.used + whole.remaining
        guard day == SandboxDay(containing: now) else { return whole }
        let used = whole.used * day.secondsElapsed(at: now) / 86_400
        return (used, limit - used)
    }
}
