import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TTIDSandbox
import UsageCore

/// `ttusage sandbox`: the ttid emulator as a server, for trying the tool without TT credentials.
struct Sandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the local ttid emulator on a loopback port, for trying ttusage without TT credentials.",
        discussion: """
            Example:
              ttusage sandbox --port 8080 &
              export TT_APP_KEY=<printed key> TT_APP_SECRET=<printed secret>
              ttusage health --base-url http://127.0.0.1:8080
              ttusage export --month 2026-10 --keys samples/keys.csv --out out \\
                --base-url http://127.0.0.1:8080
            Stops on Ctrl-C or SIGTERM. Reads no environment variable.
            """)

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).") var port: Int = 8080
    @Option(help: "Token lifetime in seconds.") var tokenLifetime: Int = 3600
    @Option(help: "Requests a second per app key (0: unlimited).") var rate: Double = 3
    @Option(help: "Token-bucket burst.") var burst: Int = 3
    @Option(help: "Requests a UTC day per app key (0: unlimited).") var quota: Int = 10_000
    @Option(help: "keyusage body shape: values (AWS), items (SDK) or envelope (TT).") var shape: KeyUsageShape = .values
    @Option(help: "Share of requests answered with an injected fault, 0 to 1.") var faultRate: Double = 0
    @Option(help: "Milliseconds added to every answer.") var latencyMs: Int = 0
    @Option(help: "Seed of the deterministic usage numbers.") var seed: UInt64 = 42
    @Option(help: "The longest keyusage range in days; a longer one is refused with 400 \"Date range exceeds N days\".")
    var maxRangeDays: Int = 90

    func run() async throws {
        try await CommandFailure.run {
            guard (0...65_535).contains(port) else { throw CommandError.usage("--port \(port) is outside 0…65535") }
            guard (0...1).contains(faultRate) else { throw CommandError.usage("--fault-rate must be between 0 and 1") }
            guard tokenLifetime >= 1 else { throw CommandError.usage("--token-lifetime must be at least 1 second") }
            var configuration = SandboxConfiguration()
            configuration.tokenLifetime = .seconds(tokenLifetime)
            configuration.rate = rate > 0 ? rate : nil
            configuration.burst = max(1, burst)
            configuration.dailyQuota = quota > 0 ? quota : nil
            configuration.shape = shape
            configuration.faultRate = faultRate
            configuration.latency = .milliseconds(max(0, latencyMs))
            configuration.seed = seed
            configuration.maxRangeDays = max(1, maxRangeDays)
            let server = TTIDSandboxServer(configuration: configuration)
            let application = server.application(host: "127.0.0.1", port: port) { bound in
                let credential = SandboxConfiguration.demoCredential
                let url = "http://127.0.0.1:\(bound.map(String.init) ?? "?")"
                print(
                    """
                    ttid sandbox listening on \(url) (environments ext_uat_cert and ext_prod_live)
                    credentials it takes:
                      export TT_APP_KEY=\(credential.appKey)
                      export TT_APP_SECRET=\(credential.secret)
                    then: ttusage health --base-url \(url)
                    """)
                fflush(nil)
            }
            // SIGINT or SIGTERM: a graceful shutdown (answers in flight are finished), then exit 0.
            var logger = Logger(label: "ttid-sandbox")
            logger.logLevel = .error
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [application], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
            try await group.run()
            return 0
        }
    }
}
