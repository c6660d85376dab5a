import Clocks
import Synchronization

@testable import TTID

/// A pacer's clock for tests that knows who sleeps on it and until when.
///
/// `run(pending:)` waits, in real time, until every caller still waiting for a slot is asleep, then advances
/// exactly to the earliest wake-up, and so on until none is left waiting: the slots come out the same on an idle
/// machine and on a loaded one. `TestClock.run()` only yields a few times for callers to go to sleep, which a
/// 2-core machine running the suite in parallel does not always grant (it then gave up after 500 ms).
final class SteppedClock: Sendable {
    struct Unsettled: Error, CustomStringConvertible {
        var description: String { "the pacer's callers neither left nor went to sleep within 20 s" }
    }

    let clock = TestClock<Duration>()
    private let origin: TestClock<Duration>.Instant
    /// The deadline of each sleep in progress, by a number of its own.
    private let sleeping = Mutex<[Int: Duration]>([:])
    private let sleeps = Atomic<Int>(0)

    init() {
        self.origin = self.clock.now
    }

    /// The clock to hand the pacer.
    var pacing: PacingClock {
        PacingClock(
            elapsed: { self.elapsed },
            sleep: { until in
                let id = self.sleeps.add(1, ordering: .relaxed).newValue
                self.sleeping.withLock { $0[id] = until }
                defer { _ = self.sleeping.withLock { $0.removeValue(forKey: id) } }
                try await self.clock.sleep(until: self.origin.advanced(by: until), tolerance: .zero)
            })
    }

    var elapsed: Duration { self.origin.duration(to: self.clock.now) }

    func advance(by duration: Duration) async {
        await self.clock.advance(by: duration)
    }

    /// Advances from one wake-up to the next until `pending()` (the callers that have not left) is 0.
    func run(pending: @Sendable () -> Int) async throws {
        let giveUp = ContinuousClock.now + .seconds(20)
        while true {
            let now = self.elapsed
            let asleep = self.sleeping.withLock { $0.values.filter { $0 > now } }
            let waiting = pending()
            if waiting == 0 { return }
            if asleep.count == waiting, let next = asleep.min() {
                await self.clock.advance(to: self.origin.advanced(by: next))
                continue
            }
            guard ContinuousClock.now < giveUp else { throw Unsettled() }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
