import Synchronization

/// Spreads requests over time at an adaptive rate: at most `rate` a second over all callers, one every `1/rate`
/// seconds, no burst; the rate falls when the service throttles and comes back as calls get through
/// (``AdaptiveRate``).
///
/// TT publishes no burst allowance, so calls leave one interval apart, the first second included; the one
/// exception is one missed call caught up before the first throttle (`waitForSlot`). The pacer also keeps the
/// time of the last call that succeeded, which decides when a run that is only throttled gives up.
public final class RequestPacer: Sendable {
    /// What came of a call that left at a slot.
    public enum Outcome: Sendable {
        /// A 2xx answer.
        case success
        /// 429 Too Many Requests (not a spent quota).
        case throttled
        /// Any other answer or none: says nothing about the rate.
        case other
    }

    /// A reading for progress lines.
    public struct Reading: Sendable, Hashable {
        /// Calls a second now; `nil` while unpaced.
        public var rate: Double?
        public var throttles: Int
        /// Time since the last call that succeeded (or since the pacer began).
        public var sinceSuccess: Duration
    }

    private struct State {
        var control: AdaptiveRate
        /// The theoretical arrival time of the next call (GCRA): the next call may leave at `tat - tolerance`.
        /// Worked out from the rate at each look, not booked ahead, so a change of rate, down or up, reaches
        /// callers already waiting.
        var tat: Duration?
        /// When the last cut happened: a throttle of a call that left before it says nothing new.
        var lastCut: Duration?
        var lastSuccess: Duration = .zero
        var throttles = 0
        /// Whether a call missed while nothing was sent may be caught up (see `waitForSlot`); the first throttle
        /// ends it, since the service's burst allowance is then known to be tight.
        var catchUp = true
        /// Callers sleeping until their slot.
        var waiting = 0
    }

    private let state: Mutex<State>
    private let clock: PacingClock
    private let margin: Double
    /// How long a run goes on while every call is throttled and none succeeds.
    public let giveUpAfter: Duration
    private let onChange: (@Sendable (Reading) -> Void)?
    /// The slots shared with the other runs on this host that pace against the same key, when known.
    private let shared: SharedSlots?

    /// A pacer at `rate` calls a second; `nil` when `rate` is not positive (no pacing wanted).
    public convenience init?(rate: Double, margin: Double = 0.01) {
        guard rate > 0, rate.isFinite else { return nil }
        self.init(ceiling: rate, margin: margin)
    }

    /// A pacer that never exceeds `ceiling` calls a second, or one that does not pace until the service first
    /// throttles when `ceiling` is `nil`.
    ///
    /// Slots are `margin` (1%) wider than `1/rate`: the service meters arrivals, not departures, and a call that
    /// leaves on time can still arrive a few milliseconds early after the one before it was delayed on the way.
    /// With `shared`, every call also books a slot in the schedule of the runs on this host that pace against the
    /// same key (``SharedSlots``), so that together they keep to the limit.
    public init(
        ceiling: Double?, margin: Double = 0.01, giveUpAfter: Duration = .seconds(300),
        clock: PacingClock = .continuous, shared: SharedSlots? = nil, onChange: (@Sendable (Reading) -> Void)? = nil
    ) {
        self.shared = shared
        self.state = Mutex(State(control: AdaptiveRate(ceiling: ceiling)))
        self.clock = clock
        self.margin = max(0, margin)
        self.giveUpAfter = giveUpAfter
        self.onChange = onChange
    }

    /// The rate in use and the throttles so far.
    public var reading: Reading {
        let now = clock.elapsed()
        return state.withLock { Self.reading($0, now: now) }
    }

    /// Waits for the next free slot and returns the time the call leaves (to hand back to `record`).
    /// Throws `CancellationError` when the task is cancelled while waiting.
    ///
    /// Calls leave one interval apart (the generic cell rate algorithm, GCRA). Until the first throttle, a pacer
    /// that was idle for an interval may let one call catch up: the run's first keyusage call waits a whole
    /// round trip for the token, and the call after it need not wait again (two calls leave together at most,
    /// as a service with a burst allowance of 2 admits). After a throttle, no call leaves early. Callers that
    /// wait together race for each slot; the one that wakes first takes it and the others wait for the next.
    @discardableResult
    public func waitForSlot() async throws -> Duration {
        let departure = try await waitForOwnSlot()
        guard let shared, let rate = state.withLock({ $0.control.rate }),
            let wait = shared.book(interval: interval(rate)), wait > .zero
        else { return departure }
        try await clock.sleep(clock.elapsed() + wait)
        return clock.elapsed()
    }

    /// The slot of this process alone.
    private func waitForOwnSlot() async throws -> Duration {
        while true {
            let now = clock.elapsed()
            let earliest = state.withLock { state -> Duration? in
                guard let rate = state.control.rate else { return nil }
                let step = interval(rate)
                guard let tat = state.tat else {
                    // The first call: the second waits a whole interval (nothing was idle yet).
                    state.tat = now + step + (state.catchUp ? step : .zero)
                    return nil
                }
                let earliest = tat - (state.catchUp ? step : .zero)
                guard now >= earliest else { return earliest }
                state.tat = max(tat, now) + step
                return nil
            }
            guard let earliest else { return now }
            state.withLock { $0.waiting += 1 }
            defer { state.withLock { $0.waiting -= 1 } }
            try await clock.sleep(earliest)
        }
    }

    /// Records what came of a call that left at `departure`. Returns the time since the last success, which
    /// the caller compares with `giveUpAfter` after a throttle.
    @discardableResult
    public func record(_ outcome: Outcome, departure: Duration) -> Duration {
        let now = clock.elapsed()
        let seconds = now / .seconds(1)
        let (reading, changed) = state.withLock { state -> (Reading, Bool) in
            let before = state.control.rate
            switch outcome {
            case .success:
                state.lastSuccess = now
                state.control.answer(at: seconds)
            case .other:
                state.control.answer(at: seconds)
            case .throttled:
                state.throttles += 1
                // Calls that left before the last cut were sent at the old rate: one cut per round, as TCP does.
                if let lastCut = state.lastCut, departure < lastCut { break }
                state.control.throttle(at: seconds, backlogged: state.waiting > 0)
                state.lastCut = now
                state.catchUp = false
                // The next call waits a whole interval of the new rate from now.
                if let rate = state.control.rate { state.tat = max(state.tat ?? now, now + interval(rate)) }
            }
            return (Self.reading(state, now: now), before != state.control.rate || outcome == .throttled)
        }
        if changed { onChange?(reading) }
        return reading.sinceSuccess
    }

    private func interval(_ rate: Double) -> Duration {
        .nanoseconds(Int64((1_000_000_000 / rate * (1 + margin)).rounded()))
    }

    private static func reading(_ state: State, now: Duration) -> Reading {
        Reading(rate: state.control.rate, throttles: state.throttles, sinceSuccess: now - state.lastSuccess)
    }
}
