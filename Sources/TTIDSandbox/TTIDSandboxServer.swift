import Hummingbird
import Logging

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
        case running(Task<Void, Never>, closeListener: @Sendable () async -> Void)
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

    /// Creates a server that is not listening yet; call ``start(host:port:)``.
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

    /// Starts listening and returns the bound port once connections are accepted.
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
        var hummingbirdLogger = self.logger
        if self.logger.logLevel > .debug {
            hummingbirdLogger.logLevel = .notice
        }
        let responder = SandboxResponder(state: self.state)
        let pending = SandboxLock<CheckedContinuation<Int, any Error>?>(nil)
        let task = SandboxLock<Task<Void, Never>?>(nil)
        let closeListener = SandboxLock<(@Sendable () async -> Void)?>(nil)
        @Sendable func resume(_ result: Result<Int, any Error>) {
            pending.withLock { continuation in
                let taken = continuation
                continuation = nil
                return taken
            }?.resume(with: result)
        }
        let bound: Int
        do {
            bound = try await withCheckedThrowingContinuation { continuation in
                pending.withLock { $0 = continuation }
                let application = Application(
                    responder: responder,
                    configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
                    onServerRunning: { channel in
                        closeListener.withLock { $0 = { try? await channel.close() } }
                        if let port = channel.localAddress?.port {
                            resume(.success(port))
                        } else {
                            resume(.failure(SandboxServerError.noLocalAddress))
                        }
                    },
                    logger: hummingbirdLogger
                )
                let running = Task {
                    do {
                        try await application.run()
                        resume(.failure(SandboxServerError.stoppedBeforeListening))
                    } catch {
                        resume(.failure(error))
                    }
                }
                task.withLock { $0 = running }
            }
        } catch {
            if let running = task.withLock({ $0 }) {
                running.cancel()
                await running.value
            }
            self.lifecycle.withLock { $0.phase = .idle }
            throw error
        }
        guard let running = task.withLock({ $0 }), let close = closeListener.withLock({ $0 }) else {
            // Unreachable: both are stored before the continuation can resume with a port.
            if let running = task.withLock({ $0 }) {
                running.cancel()
                await running.value
            }
            self.lifecycle.withLock { $0.phase = .idle }
            throw SandboxServerError.stoppedBeforeListening
        }
        let urlHost: String
        switch host {
        case "0.0.0.0", "": urlHost = "127.0.0.1"
        case "::": urlHost = "[::1]"
        default: urlHost = host.contains(":") ? "[\(host)]" : host
        }
        self.lifecycle.withLock { lifecycle in
            lifecycle.phase = .running(running, closeListener: close)
            lifecycle.port = bound
            lifecycle.baseURL = "http://\(urlHost):\(bound)"
        }
        self.logger.debug("ttid sandbox listening", metadata: ["host": "\(host)", "port": "\(bound)"])
        return bound
    }

    /// Stops the server and waits until it has shut down; does nothing when it is not running.
    ///
    /// Requests already being answered are let finish (for at most the configured latency plus five seconds),
    /// then the listener and every connection are closed.
    public func stop() async {
        enum Step {
            case nothing
            case shutDown(Task<Void, Never>, closeListener: @Sendable () async -> Void)
            case wait(Task<Void, Never>)
        }
        let step: Step = self.lifecycle.withLock { lifecycle in
            switch lifecycle.phase {
            case .idle, .starting:
                return .nothing
            case .running(let task, let closeListener):
                lifecycle.phase = .stopping(task)
                return .shutDown(task, closeListener: closeListener)
            case .stopping(let task):
                return .wait(task)
            }
        }
        switch step {
        case .nothing:
            return
        case .wait(let task):
            await task.value
        case .shutDown(let task, let closeListener):
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: await self.state.configuration.latency + .seconds(5))
            while await self.state.inFlight > 0, clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
            // Closing the listener first ends Hummingbird's accept loop cleanly; cancelling then closes the
            // connections still open (idle keep-alive ones) and ends the application.
            await closeListener()
            task.cancel()
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
