extension SandboxUsageModel {
    /// The daily limit the sandbox reports for keys with none of their own (TT's UAT Free plan).
    public static let defaultDailyLimit = 10_000

    /// A key's whole-day figures under a configuration: its ``SandboxConfiguration/dailyLimits`` entry (else
    /// 10,000) and its ``SandboxConfiguration/keyProfiles`` entry (else the default model).
    public static func usage(
        appKey: String, day: String, configuration: SandboxConfiguration
    ) -> (used: Int, remaining: Int) {
        let limit = configuration.dailyLimits[appKey] ?? defaultDailyLimit
        let modelled = usage(
            appKey: appKey, day: day, seed: configuration.seed, dailyLimit: limit,
            profile: configuration.keyProfiles[appKey] ?? .model)
        guard let restated = configuration.restatedDays[appKey]?[day] else { return modelled }
        let total = modelled.used + modelled.remaining
        let used = min(max(restated, 0), total)
        return (used, total - used)
    }

    /// A key's whole-day figures under `profile`, with `dailyLimit` as its limit (before any change of limit).
    public static func usage(
        appKey: String, day: String, seed: UInt64, dailyLimit: Int, profile: SandboxKeyProfile
    ) -> (used: Int, remaining: Int) {
        let dayBits = SandboxHash.of(seed: seed, "profile-day", appKey, day)
        let noise = SandboxRandom.unit(dayBits)
        let parsed = SandboxDay(day)
        func onOrAfter(_ start: String) -> Bool {
            guard let parsed, let start = SandboxDay(start) else { return false }
            return parsed >= start
        }
        var limit = dailyLimit
        let used: Double
        switch profile {
        case .model:
            return usage(appKey: appKey, day: day, seed: seed, dailyLimit: dailyLimit)
        case .ordinary:
            let keyBits = SandboxHash.of(seed: seed, "profile-key", appKey)
            let level = 0.2 + 0.4 * SandboxRandom.unit(keyBits)
            let weekly: [Double] = [1.0, 1.05, 1.1, 1.0, 0.9, 0.45, 0.35]
            let factor = parsed.map { weekly[$0.weekday] } ?? 1
            switch (dayBits >> 7) % 120 {
            case 0..<10: used = 0
            case 10..<13: used = Double(limit)
            default: used = Double(limit) * level * factor * (0.75 + 0.5 * noise)
            }
        case let .steady(share):
            used = Double(limit) * share * (0.85 + 0.3 * noise)
        case let .atQuota(share):
            used = noise < share ? Double(limit) : Double(limit) * (0.85 + 0.14 * SandboxRandom.unit(dayBits >> 3))
        case let .jump(start, before):
            let span = Double(before.upperBound - before.lowerBound)
            used = onOrAfter(start) ? Double(limit) : Double(before.lowerBound) + span * noise
        case .silent:
            used = 0
        case let .limitChange(start, newLimit, share):
            if onOrAfter(start) { limit = newLimit }
            used = Double(limit) * share * (0.85 + 0.3 * noise)
        case let .startsOn(start, share):
            used = onOrAfter(start) ? Double(limit) * share * (0.85 + 0.3 * noise) : 0
        case let .idleHalf(share):
            if (dayBits >> 7) % 2 == 0 {
                used = (dayBits >> 9) % 3 == 0 ? Double(1 + (dayBits >> 11) % 40) : 0
            } else {
                used = Double(limit) * share * (0.1 + 0.9 * noise)
            }
        case let .leak(start, share, factor):
            let weekly: [Double] = [1.0, 1.05, 1.1, 1.0, 0.9, 0.45, 0.35]
            let level = Double(limit) * share * (parsed.map { weekly[$0.weekday] } ?? 1) * (0.75 + 0.5 * noise)
            if onOrAfter(start) {
                used = level * factor
            } else {
                used = (dayBits >> 7) % 12 == 0 ? 0 : level
            }
        }
        guard limit > 0 else { return (0, 0) }
        let clamped = min(max(Int(used), 0), limit)
        return (clamped, limit - clamped)
    }
}
