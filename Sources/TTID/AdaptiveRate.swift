import Foundation

/// The sending rate of a client that shares a rate limit it cannot see: the AWS SDKs' "adaptive" retry mode
/// (botocore `retries/adaptive.py`, smithy's `ClientRateLimiter`), with a ceiling when the limit is known.
///
/// A throttle cuts the rate to `beta` × the rate actually measured; answers that are not throttles raise it
/// again along a cubic curve (CUBIC, RFC 8312) that comes back to the rate of the last throttle in
/// `timeWindow` seconds, flattens there, then probes slowly above it. The rate never exceeds `ceiling` nor
/// twice the measured rate, and never falls below `minimumRate`. Times are seconds since the pacer began.
public struct AdaptiveRate: Sendable, Hashable {
    /// The share of the rate kept after a throttle.
    public static let beta = 0.7
    /// How steeply the rate comes back (the cubic's coefficient).
    public static let scale = 0.4
    /// Weight of the newest half-second in the measured rate.
    public static let smooth = 0.8
    /// The slowest rate: one call every two seconds still finds out when the limit frees up.
    public static let minimumRate = 0.5

    /// The rate the caller was told (the usage plan's), never exceeded; `nil` when unknown.
    public let ceiling: Double?
    /// The rate calls go out at now; `nil` while nothing limits it (no ceiling and no throttle yet).
    public private(set) var rate: Double?
    /// Whether a throttle has been seen: from then on the cubic curve sets the rate.
    public private(set) var throttled = false

    private var lastMaxRate = 0.0
    private var lastThrottle = 0.0
    private var timeWindow = 0.0
    private var measured = 0.0
    private var countInBucket = 0
    private var closedBuckets = 0
    private var bucket: Double?

    public init(ceiling: Double?) {
        let ceiling = ceiling.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        self.ceiling = ceiling
        self.rate = ceiling
    }

    /// The calls a second measured over half-second buckets, smoothed.
    public var measuredRate: Double { measured }

    /// An answer that is a throttle (429 Too Many Requests) at `time`.
    ///
    /// - Parameter backlogged: Whether calls were waiting for a slot: the client sends as fast as its rate lets it,
    ///   so that rate is what it sends at, whatever the half-second buckets measured so far. A client that has just
    ///   begun measures a low rate (its first calls waited for a token); cut from that, it fell to a few calls a
    ///   second and took seconds to climb back.
    public mutating func throttle(at time: Double, backlogged: Bool = false) {
        measure(at: time)
        // Before the first half-second bucket closes nothing is measured yet: the rate in use stands for it.
        // An unpaced client has no rate of its own to stand in: the calls of the open bucket give an estimate.
        let early = bucket.map { Double(countInBucket) / max(0.5, time - $0) } ?? Self.minimumRate
        // A second of it at least: the first half-seconds of a run hold the token call and the first answers, and
        // say little about the rate the client sends at.
        let measuredEnough = closedBuckets >= 2 && measured > 0
        let inUse: Double
        if backlogged, let rate {
            inUse = rate
        } else if measuredEnough {
            inUse = min(measured, rate ?? measured)
        } else {
            inUse = rate ?? (measured > 0 ? measured : early)
        }
        lastMaxRate = inUse
        timeWindow = Self.window(lastMaxRate)
        lastThrottle = time
        throttled = true
        apply(inUse * Self.beta)
    }

    /// An answer that is not a throttle at `time`.
    public mutating func answer(at time: Double) {
        measure(at: time)
        guard throttled else { return }
        let since = time - lastThrottle - timeWindow
        let cubic = Self.scale * since * since * since + lastMaxRate
        // Twice the measured rate at most, as in the AWS SDKs; until a half-second of it is measured, the rate in
        // use stands for it (capping at twice nothing would pin the rate to the floor).
        let reference = measured > 0 ? measured : (rate ?? Self.minimumRate)
        apply(min(cubic, 2 * max(reference, Self.minimumRate)))
    }

    /// Seconds after a throttle at which the cubic is back at the rate the throttle cut.
    static func window(_ maxRate: Double) -> Double { cbrt(max(0, maxRate * (1 - beta) / scale)) }

    private mutating func apply(_ candidate: Double) {
        var value = max(candidate, Self.minimumRate)
        if let ceiling { value = min(value, ceiling) }
        rate = value
    }

    private mutating func measure(at time: Double) {
        let current = (time * 2).rounded(.down) / 2
        countInBucket += 1
        guard let last = bucket else {
            bucket = current
            return
        }
        if current > last {
            let sample = Double(countInBucket) / (current - last)
            measured = sample * Self.smooth + measured * (1 - Self.smooth)
            closedBuckets += 1
            countInBucket = 0
            bucket = current
        }
    }
}
