import Synchronization

/// A value behind a `Mutex`, in a class so that escaping closures (the server's start and stop) can share it.
final class SandboxLock<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    func withLock<Result: Sendable>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try self.mutex.withLock { value in try body(&value) }
    }
}
