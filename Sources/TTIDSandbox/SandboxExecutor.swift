import NIOCore
import NIOPosix

/// Runs the sandbox's tasks (its connections, handlers and the `SandboxState` actor) on NIO's event-loop threads
/// instead of Swift's shared cooperative pool.
///
/// The sandbox shares a process with the clients it serves: the tests, the demo and the benchmarks. When those keep
/// every thread of the cooperative pool busy (a 2-core machine has two), an emulated service on the same pool would
/// stop answering, and its clients would time out for a reason the real service never gives. On event-loop threads
/// it answers whatever the pool is doing, as a service in its own process would. `TTIDSandboxServer.start()` runs
/// its `ServiceGroup` with this executor as its preference (SE-0417), which every child task and default actor the
/// server uses inherits.
public final class SandboxExecutor: TaskExecutor {
    /// The executor every sandbox started in this process uses, on `MultiThreadedEventLoopGroup.singleton` (the
    /// event loops Hummingbird serves its sockets on).
    public static let shared = SandboxExecutor(group: MultiThreadedEventLoopGroup.singleton)

    private let group: any EventLoopGroup

    /// An executor on `group`'s event loops; a job runs on the next loop, so jobs are spread but not ordered.
    public init(group: any EventLoopGroup) {
        self.group = group
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = self.asUnownedTaskExecutor()
        self.group.next().execute { job.runSynchronously(on: executor) }
    }
}
