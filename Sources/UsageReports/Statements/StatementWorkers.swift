import Foundation
import Synchronization

/// Runs the customers' packs on a few threads of their own. Each pack ends in a few `fsync` calls that wait on
/// the disk far longer than the pack takes to make; with several in flight the file system commits them together,
/// and the two cores both render. Memory stays that of `workers` packs, whatever the number of customers.
enum StatementWorkers {
    static let workers = 4

    /// `body(html, index)` for every index below `count`, results in index order; the first error stops the rest
    /// and is thrown.
    static func run<Result: Sendable>(
        count: Int, _ body: @escaping @Sendable (StatementHTML, Int) throws -> Result
    ) throws -> [Result] {
        let state = Mutex(State<Result>(results: Array(repeating: nil, count: count)))
        let group = DispatchGroup()
        for _ in 0..<min(workers, max(count, 1)) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                let html: StatementHTML
                do {
                    html = try StatementHTML()
                } catch {
                    state.withLock { $0.failure = $0.failure ?? error }
                    return
                }
                while let index = state.withLock({ $0.take(below: count) }) {
                    do {
                        let result = try body(html, index)
                        state.withLock { $0.results[index] = result }
                    } catch {
                        state.withLock { $0.failure = $0.failure ?? error }
                    }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return try state.withLock { state in
            if let failure = state.failure { throw failure }
            return state.results.compactMap { $0 }
        }
    }

    private struct State<Result> {
        var results: [Result?]
        var next = 0
        var failure: (any Error)?

        /// The next index to do, or nil when all are taken or one failed.
        mutating func take(below count: Int) -> Int? {
            guard failure == nil, next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
