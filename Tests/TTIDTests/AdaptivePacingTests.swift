import Clocks
import Testing

@testable import TTID

/// The adaptive pacer on a test clock: no test here waits in real time.
@Suite("Adaptive pacing")
struct AdaptivePacingTests {
    /// `perSecond` answers a second for `seconds`, from `start`, each in the middle of its slot.
    static func answers(_ rate: inout AdaptiveRate, from start: Double, seconds: Int, perSecond: Int = 10) {
        for index in 0..<(seconds * perSecond) {
            rate.answer(at: start + (Double(index) + 0.5) / Double(perSecond))
        }
    }

    @Test func aThrottleCutsTheMeasuredRateAndTheCubicBringsItBack() throws {
        var rate = AdaptiveRate(ceiling: 10)
        #expect(rate.rate == 10)
        Self.answers(&rate, from: 0, seconds: 3)
        // Answers alone never move a rate nothing has throttled: the told ceiling stands.
        #expect(rate.rate == 10)
        #expect(abs(rate.measuredRate - 10) < 0.5)
        rate.throttle(at: 3)
        // The throttle's own answer closes a half-second of the measure: the cut is of the rate measured then.
        let measured = min(rate.measuredRate, 10)
        let cut = try #require(rate.rate)
        #expect(abs(cut - AdaptiveRate.beta * measured) < 1e-9)
        // Back at the rate of the throttle after the cubic's window, flat around it, never past the ceiling.
        let window = AdaptiveRate.window(measured)
        #expect(abs(window - 1.96) < 0.05)
        var previous = cut
        var time = 3.0
        var samples: [(Double, Double)] = []
        while time < 3 + window + 2 {
            time += 0.1
            rate.answer(at: time)
            let now = try #require(rate.rate)
            #expect(now >= previous - 1e-9, "the rate only grows between throttles (t = \(time))")
            samples.append((time - 3, now))
            previous = now
        }
        let atHalfWindow = try #require(samples.first { $0.0 >= window / 2 }).1
        #expect(atHalfWindow > cut && atHalfWindow < measured, "halfway up, not a step")
        let nearWindow = try #require(samples.first { $0.0 >= window }).1
        #expect(abs(nearWindow - measured) < 0.2)
        #expect(samples.allSatisfy { $0.1 <= 10 })
    }

    @Test func withoutACeilingNothingIsPacedUntilTheFirstThrottle() throws {
        var rate = AdaptiveRate(ceiling: nil)
        #expect(rate.rate == nil)
        Self.answers(&rate, from: 0, seconds: 2, perSecond: 40)
        #expect(rate.rate == nil)
        rate.throttle(at: 2)
        let cut = try #require(rate.rate)
        #expect(abs(cut - 0.7 * rate.measuredRate) < 1e-9)
        #expect(cut > 20)
        // Many throttles in a row never stop the client: it keeps one call every two seconds.
        for step in 1...40 { rate.throttle(at: 2 + Double(step) * 0.01) }
        #expect(rate.rate == AdaptiveRate.minimumRate)
    }

    @Test func slotsFollowTheCeilingAndACutSpacesThemOut() async throws {
        let clock = SteppedClock()
        let pacer = RequestPacer(ceiling: 10, margin: 0, clock: clock.pacing)
        // The first five slots at 10/s: 0, 100, 200, 300, 400 ms, whatever order the callers run in.
        let first = try await Self.slots(5, pacer: pacer, clock: clock)
        #expect(first == (0..<5).map { .milliseconds(100 * $0) })
        // A throttle of the last call cuts 10/s to 7/s (nothing measured yet: the rate in use stands for it).
        pacer.record(.throttled, departure: first[4])
        #expect(abs((pacer.reading.rate ?? 0) - 7) < 1e-9)
        // A throttle of a call that left before the cut was sent at the old rate: no second cut.
        pacer.record(.throttled, departure: first[3])
        #expect(abs((pacer.reading.rate ?? 0) - 7) < 1e-9)
        #expect(pacer.reading.throttles == 2)
        let next = try await Self.slots(3, pacer: pacer, clock: clock)
        let gaps = zip(next.dropFirst(), next).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= .nanoseconds(142_857_000) && $0 <= .nanoseconds(142_858_000) }, "\(gaps)")
    }

    @Test func aCallerWaitingOnASlotOfTheOldRateTakesANewOneAfterACut() async throws {
        let clock = TestClock()
        let pacer = RequestPacer(ceiling: 10, margin: 0, clock: PacingClock(clock))
        #expect(try await pacer.waitForSlot() == .zero)
        let waiting = Task { try await pacer.waitForSlot() }
        await clock.advance(by: .milliseconds(50))
        // The throttle comes at 50 ms while the caller sleeps until 100 ms: it wakes at 110 ms, finds that the
        // cut ended catching up (its slot is now 200 ms, no earlier than 50 ms + 1/7 s) and sleeps again.
        pacer.record(.throttled, departure: .zero)
        await clock.advance(by: .milliseconds(60))
        await clock.advance(by: .milliseconds(100))
        let left = try await waiting.value
        // Not at 110 ms; at 200 ms, or at 210 ms when the waiter ran only after the second advance (a loaded
        // machine): either way no earlier than the cut allows.
        #expect(left == .milliseconds(200) || left == .milliseconds(210), "\(left)")
    }

    @Test func successesRaiseTheRateAgainAndTheGiveUpTimeCountsFromTheLastSuccess() async throws {
        let clock = TestClock()
        let pacer = RequestPacer(ceiling: 10, margin: 0, giveUpAfter: .seconds(300), clock: PacingClock(clock))
        pacer.record(.success, departure: .zero)
        pacer.record(.throttled, departure: .zero)
        #expect(abs((pacer.reading.rate ?? 0) - 7) < 1e-9)
        // Ten seconds of successes at 10/s bring it back to the ceiling.
        for tick in 1...100 {
            await clock.advance(by: .milliseconds(100))
            pacer.record(.success, departure: .milliseconds(100 * tick))
        }
        #expect(pacer.reading.rate == 10)
        // Then only throttles: the time since the last success grows until it passes the give-up time.
        await clock.advance(by: .seconds(299))
        #expect(pacer.record(.throttled, departure: .seconds(309)) == .seconds(299))
        await clock.advance(by: .seconds(2))
        #expect(pacer.record(.throttled, departure: .seconds(311)) >= pacer.giveUpAfter)
        // Throttled on an idle half-second, the measured rate is low: the rate falls far below the cut of 7/s.
        #expect((pacer.reading.rate ?? 10) < 7)
    }

    /// Takes `count` slots from concurrent callers, running the test clock until all have left.
    static func slots(_ count: Int, pacer: RequestPacer, clock: SteppedClock) async throws -> [Duration] {
        let left = SharedBox<[Duration]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let slot = try await pacer.waitForSlot()
                    left.update { $0.append(slot) }
                }
            }
            try await clock.run { count - left.value.count }
            try await group.waitForAll()
        }
        return left.value.sorted()
    }

    /// Idle for the length of a call, the pacer lets one call catch up, never two; after a throttle, none.
    @Test func anIdlePacerCatchesUpOneCallUntilTheFirstThrottle() async throws {
        let clock = SteppedClock()
        let pacer = RequestPacer(ceiling: 10, margin: 0, clock: clock.pacing)
        #expect(try await pacer.waitForSlot() == .zero)
        // A token's round trip: 250 ms with nothing sent. Then three callers at once: two leave at 250 ms, the
        // third one interval after.
        await clock.advance(by: .milliseconds(250))
        let first = try await Self.slots(3, pacer: pacer, clock: clock)
        #expect(first == [.milliseconds(250), .milliseconds(250), .milliseconds(350)], "\(first)")
        // A throttle ends it: idle again, three callers leave one interval apart.
        pacer.record(.throttled, departure: .milliseconds(350))
        await clock.advance(by: .seconds(2))
        let after = try await Self.slots(3, pacer: pacer, clock: clock)
        let gaps = zip(after.dropFirst(), after).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= .nanoseconds(142_857_000) }, "\(after)")
    }
}
