import Foundation
import Synchronization
import TTID
import UnixSignals
import UsageReports

/// Ctrl-C and SIGTERM during an export or a render: the first closes the client's gate (no new call starts; calls
/// in flight finish and their chunks are kept by the store) and stops the writing of the report (`stop`: the
/// report folder keeps the previous report), and the run then stops with one line and exit 130 or 143; a second
/// signal removes the staging folder and ends the process at once. Signals arrive through swift-service-lifecycle's
/// `UnixSignalsSequence`.
final class InterruptWatch: Sendable {
    /// The first signal caught, if any.
    private let caught = Mutex<UnixSignal?>(nil)
    private let watcher = Mutex<Task<Void, Never>?>(nil)

    /// Starts watching; `gate` is closed and `stop` requested on the first signal.
    func start(closing gate: CallGate, stopping stop: RenderStop? = nil) async {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let task = Task { [self] in
            for await signal in signals {
                let first = caught.withLock { caught -> Bool in
                    guard caught == nil else { return false }
                    caught = signal
                    return true
                }
                if first {
                    gate.close()
                    stop?.request()
                } else {
                    // A second interrupt: the user wants out now; the report folder is left as it was.
                    OutputStage.discardAll()
                    Foundation.exit(Self.exitCode(signal))
                }
            }
        }
        watcher.withLock { $0 = task }
    }

    /// Stops watching (the signals get their default action back only when the process ends).
    func stop() {
        watcher.withLock { $0?.cancel() }
    }

    /// The signal that interrupted the run, or `nil`.
    var signal: UnixSignal? { caught.withLock { $0 } }

    /// Runs `body` (a render, which does not suspend) on a thread of its own, so that the watch, on the
    /// cooperative pool, sees a signal while it runs.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// 130 for SIGINT, 143 for SIGTERM (128 + the signal's number, as shells report it).
    static func exitCode(_ signal: UnixSignal) -> Int32 {
        signal == .sigterm ? 143 : 130
    }
}
