import ArgumentParser
import TTID
import UsageCore

/// What to fetch (keys and range) and how fast.
///
/// The numeric options parse unconditionally, so that `--rate -1` is told why -1 is wrong rather than that the
/// value is missing.
struct FetchOptions: ParsableArguments {
    @Option(help: "The keys manifest: CSV with the header app_key,user_id,label.")
    var keys: String

    @Option(help: "First UTC day, YYYY-MM-DD.")
    var from: String?

    @Option(help: "Last UTC day, YYYY-MM-DD (inclusive; a day after today is cut to today).")
    var to: String?

    @Option(help: "A calendar month, YYYY-MM, instead of --from/--to.")
    var month: String?

    @Option(parsing: .unconditional, help: "Days per keyusage call, 1 to 90.")
    var chunkDays: Int = ExportPlan.maxChunkDays

    @Option(
        help:
            "TT usage plan of the app key: free (3/s, 10,000/day; the default), low (5/s), medium (10/s) or high (25/s)."
    )
    var plan: UsagePlanTier?

    @Option(
        parsing: .unconditional,
        help:
            "Calls a second at most over all calls, token calls included (default: the plan's rate; 0: unpaced until the service throttles). Lowered on a throttle, raised again as calls succeed."
    )
    var rate: Double?

    /// The usage plan named by `--plan` (or the profile).
    func tier(_ profile: Profile?) throws -> UsagePlanTier {
        if let plan { return plan }
        let name = profile?.plan ?? UsagePlanTier.free.rawValue
        guard let tier = UsagePlanTier(argument: name) else {
            throw CommandError.usage("plan (profile): \(name) is not one of free, low, medium, high")
        }
        return tier
    }

    /// Calls a second, checked.
    func effectiveRate(_ profile: Profile?) throws -> Double {
        let value = try rate ?? profile?.rate ?? tier(profile).rate
        guard value >= 0, value.isFinite, value <= 10_000 else {
            throw CommandError.usage("--rate \(value) must be 0 (no pacing) or a positive number of calls a second")
        }
        return value
    }

    /// Every check that needs no file and no network.
    func validateValues(_ profile: Profile?) throws {
        guard (1...ExportPlan.maxChunkDays).contains(chunkDays) else {
            throw CommandError.usage("--chunk-days \(chunkDays) is outside 1…\(ExportPlan.maxChunkDays)")
        }
        _ = try tier(profile)
        _ = try effectiveRate(profile)
    }

    func rangeRequest(today: Day) throws -> RangeRequest {
        try RangeRequest(from: from, to: to, month: month, today: today)
    }
}

/// How an export runs its calls: how many at once, how often a fault is retried, how long a throttled run goes on.
/// `plan` makes no call and takes none of them.
struct RunOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Calls in flight at most, 1 to 256 (default: 4, or the profile's).")
    var concurrency: Int?

    @Option(parsing: .unconditional, help: "Retries of a call after transient faults (throttles do not count).")
    var maxRetries: Int = 6

    @Option(parsing: .unconditional, help: "Seconds a run goes on while it is throttled and no call succeeds.")
    var giveUpAfter: Int = 300

    /// Calls in flight.
    func effectiveConcurrency(_ profile: Profile?) -> Int { concurrency ?? profile?.concurrency ?? 4 }

    func validateValues(_ profile: Profile?) throws {
        let concurrency = effectiveConcurrency(profile)
        guard (1...256).contains(concurrency) else {
            throw CommandError.usage("--concurrency \(concurrency) is outside 1…256")
        }
        guard (0...20).contains(maxRetries) else {
            throw CommandError.usage("--max-retries \(maxRetries) is outside 0…20")
        }
        guard (1...86_400).contains(giveUpAfter) else {
            throw CommandError.usage("--give-up-after \(giveUpAfter) is outside 1…86400 seconds")
        }
    }
}
