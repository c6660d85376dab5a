import Synchronization
import UsageCore

/// A request to stop a render (SIGINT or SIGTERM while the report is written): the writers look at it between
/// files and every block of bytes, and the render then ends with ``ReportError/interrupted`` before anything is
/// switched in, so the report folder keeps the previous report.
public final class RenderStop: Sendable {
    private let requested = Atomic<Bool>(false)

    /// A stop not yet requested.
    public init() {}

    /// Asks the render to stop.
    public func request() { requested.store(true, ordering: .relaxed) }

    /// Whether a stop was asked for.
    public var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Throws ``ReportError/interrupted`` once a stop was asked for.
    func check() throws {
        if isRequested { throw ReportError.interrupted }
    }
}
