import Hummingbird
import Logging
import ServiceLifecycle

/// A local emulator of TT REST API 2.0's ttid service (`/token`, `/keyusage`, `/healthcheckstatus`) on a real
/// socket, for tests, the demo and the benchmarks.
///
/// It answers under `/ttid/ext_uat_cert/` and `/ttid/ext_prod_live/` as ``SandboxConfiguration`` describes:
/// gateway and TT error shapes, per-key rate limit and daily quota, expiring tokens, deterministic usage
/// numbers (``SandboxUsageModel``), paging, short and empty series, and injected faults.
///
/// ```swift
/// let port = try await TTIDSandboxServer.withRunning(SandboxConfiguration()) { server in
///     // point a client at server.baseURL + "/ttid/ext_uat_cert"
///     await server.counters().keyUsageOK
/// }
/// ```
///
/// A server can be started and stopped several times; its counters, tokens and quota survive a restart.
public final class TTIDSandboxServer: Sendable {
    private enum Phase {
        case idle
        case starting
        case running(Task<Void, Never>, group: ServiceGroup)
        case stopping(Task<Void, Never>)
    }

    private struct Lifecycle {
        var phase: Phase = .idle
        var port: Int?
        var baseURL = ""
    }

    private let state: SandboxState
    private let logger: Logger
    private let lifecycle = SandboxLock(Lifecycle())

    /// Creates a server that is not listening yet; call ``start(host:port:)``, or run ``application(host:port:onServerRunning:)``
    /// in a `ServiceGroup` of your own.
    ///
    /// - Parameters:
    ///   - configuration: The service's behaviour; change it later with ``update(_:)``.
    ///   - logger: Receives the sandbox's messages; Hummingbird's below `notice` only at `debug` or `trace`.
    public init(configuration: SandboxConfiguration, logger: Logger = Logger(label: "ttid-sandbox")) {
        self.state = SandboxState(configuration: configuration)
        self.logger = logger
    }

    /// The port the server listens on, or `nil` when it is not running.
    public var port: Int? {
        self.lifecycle.withLock { $0.port }
    }

    /// `http://<host>:<port>` of the running server, without a path: append `/ttid/ext_uat_cert` or
    /// `/ttid/ext_prod_live`. Empty before the first start; after ``stop()`` it keeps the last address.
    public var baseURL: String {
        self.lifecycle.withLock { $0.baseURL }
    }

    /// The Hummingbird application that serves this sandbox: the one function behind ``start(host:port:)``, the
    /// `ttusage sandbox` command (in a `ServiceGroup` with graceful shutdown on SIGINT and SIGTERM) and tests
    /// that need no socket (`app.test(.router)`).
    ///
    /// - Parameters:
    ///   - host: The address to bind; `127.0.0.1` keeps the sandbox off the network.
    ///   - port: The port to bind; 0 picks a free one.
    ///   - onServerRunning: Hears the bound port (`nil` when the socket has none) once connections are accepted.
    public func application(
        host: String = "127.0.0.1", port: Int = 0,
        onServerRunning: @escaping @Sendable (Int?) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var hummingbirdLogger = self.logger
        if self.logger.logLevel > .debug {
            hummingbirdLogger.logLevel = .notice
        }
        return Application(
            responder: SandboxResponder(state: self.state),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port) },
            logger: hummingbirdLogger
        )
    }

    /// Starts listening and returns the bound port once connections are accepted.
    ///
    /// The application runs in a `ServiceGroup` of its own, on ``SandboxExecutor/shared`` (NIO's threads, not the
    /// cooperative pool its clients may keep busy); ``stop()`` shuts it down gracefully.
    ///
    /// - Parameters:
    ///   - host: The address to bind; `127.0.0.1` keeps the sandbox off the network.
    ///   - port: The port to bind; 0 picks a free one.
    /// - Returns: The port bound.
    /// - Throws: ``SandboxServerError`` when the server is already started, or the bind error.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
        try self.lifecycle.withLock { lifecycle in
            guard case .idle = lifecycle.phase else { throw SandboxServerError.alreadyStarted }
            lifecycle.phase = .starting
        }
        let (ports, announce) = AsyncStream.makeStream(of: Int?.self)
        let application = self.application(host: host, port: port) { bound in
            announce.yield(bound)
            announce.finish()
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: [], logger: self.logger))
        let failure = SandboxLock<(any Error)?>(nil)
        let running = Task(executorPreference: SandboxExecutor.shared) {
            do {
                try await group.run()
            } catch {
                failure.withLock { $0 = error }
            }
            announce.finish()
        }
        var announced = ports.makeAsyncIterator()
        guard case .some(.some(let bound)) = await announced.next() else {
            await group.triggerGracefulShutdown()
            await running.value
            self.lifecycle.withLock { $0.phase = .idle }
            throw failure.withLock { $0 } ?? SandboxServerError.stoppedBeforeListening
        }
        let urlHost: String
        switch host {
        case "0.0.0.0", "": urlHost = "127.0.0.1"
        case "::": urlHost = "[::1]"
        default: urlHost = host.contains(":") ? "[\(host)]" : host
        }
        self.lifecycle.withLock { lifecycle in
            lifecycle.phase = .running(running, group: group)
            lifecycle.port = bound
            lifecycle.baseURL = "http://\(urlHost):\(bound)"
        }
        self.logger.debug("ttid sandbox listening", metadata: ["host": "\(host)", "port": "\(bound)"])
        return bound
    }

    /// Stops the server and waits until it has shut down; does nothing when it is not running.
    ///
    /// A graceful shutdown of its `ServiceGroup`: the listener closes, requests already being answered finish,
    /// then every connection is closed.
    public func stop() async {
        enum Step {
            case nothing
            case shutDown(Task<Void, Never>, group: ServiceGroup)
            case wait(Task<Void, Never>)
        }
        let step: Step = self.lifecycle.withLock { lifecycle in
            switch lifecycle.phase {
            case .idle, .starting:
                return .nothing
            case .running(let task, let group):
                lifecycle.phase = .stopping(task)
                return .shutDown(task, group: group)
            case .stopping(let task):
                return .wait(task)
            }
        }
        switch step {
        case .nothing:
            return
        case .wait(let task):
            await task.value
        case .shutDown(let task, let group):
            await group.triggerGracefulShutdown()
            await task.value
            self.lifecycle.withLock { lifecycle in
                lifecycle.phase = .idle
                lifecycle.port = nil
            }
            self.logger.debug("ttid sandbox stopped")
        }
    }

    /// What the server has seen and answered so far.
    public func counters() async -> SandboxCounters {
        await self.state.snapshot()
    }

    /// Requests counted against `appKey`'s daily quota in the current quota period (see
    /// ``SandboxConfiguration/quotaResetAt``); its remaining quota is ``SandboxConfiguration/dailyQuota`` less this.
    public func quotaUsed(appKey: String) async -> Int {
        await self.state.quotaUsed(appKey: appKey)
    }

    /// Sets every counter back to zero (tokens, quota use and token buckets are kept).
    public func resetCounters() async {
        await self.state.resetCounters()
    }

    /// Makes every token issued so far expired: the next call with one gets 401 "The incoming token has expired",
    /// as when TT ends a token before the lifetime it announced.
    public func expireTokens() async {
        await self.state.expireTokens()
    }

    /// Makes the next `count` bearer calls find their token expired however fresh it is, as when each call takes
    /// longer on the way than its token has left to live (a short-lived token on a loaded machine).
    public func expireOnArrival(_ count: Int) async {
        await self.state.expireOnArrival(count)
    }

    /// Changes the configuration of a running server; the next request sees the change.
    ///
    /// ```swift
    /// await server.update { $0.dailyQuota = 0 }   // every further call: 429 "Limit Exceeded"
    /// ```
    public func update(_ change: @Sendable (inout SandboxConfiguration) -> Void) async {
        await self.state.update(change)
    }

    /// The current configuration.
    public func configuration() async -> SandboxConfiguration {
        await self.state.configuration
    }
}
