import Synchronization

/// A switch that stops new calls from going out: closed when the daily quota is spent, so calls waiting for a
/// pacer slot give up instead of spending requests that cannot succeed. Calls already sent finish.
public final class CallGate: Sendable {
    /// Thrown by a call that found the gate closed before it was sent.
    public struct Closed: Error, Hashable, Sendable {}

    private let closed = Mutex(false)

    public init() {}

    /// Stops every call not yet sent.
    public func close() { closed.withLock { $0 = true } }

    public var isClosed: Bool { closed.withLock { $0 } }

    /// Throws `Closed` once the gate is closed.
    public func check() throws(Closed) {
        if isClosed { throw Closed() }
    }
}
