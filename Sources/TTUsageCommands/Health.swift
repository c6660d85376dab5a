import ArgumentParser
import Foundation
import TTID
import UsageCore

/// `ttusage health`: GET /healthcheckstatus as a table.
struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the ttid service's health (GET /healthcheckstatus) as a table.",
        discussion: """
            Example:
              export TT_APP_KEY=<app key> TT_APP_SECRET=<secret>
              ttusage health --environment ext_prod_live
              ttusage health --base-url http://127.0.0.1:8080   (ttusage sandbox)
            Environment: TT_APP_KEY, TT_APP_SECRET (or --credentials FILE);
            XDG_CONFIG_HOME (profiles).
            Exit codes: 0 the call succeeded, 64 bad usage or missing credentials,
            69 unreachable (or throttled for --timeout seconds with no answer),
            77 credentials refused.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var profiles: ProfileOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await CommandFailure.run {
            let logger = try logging.makeLogger()
            let configuration = try connection.clientConfiguration(maxConnections: 1, profile: try profiles.load())
            let credentials = try connection.loadCredentials()
            let status = try await TTIDClient.withRetries(
                configuration: configuration, credentials: credentials, retry: RetryPolicy(maxRetries: 2),
                giveUpAfter: configuration.requestTimeout, logger: logger
            ) { try await $0.healthCheck() }
            print(HealthTable.render(status))
            return 0
        }
    }
}

/// The health status as aligned text.
enum HealthTable {
    static func render(_ status: HealthStatus) -> String {
        var rows: [[String]] = [["GROUP", "SERVICE", "COMPONENT", "STATUS"]]
        for group in status.groups {
            for service in group.services {
                rows.append([group.name, service.name, "", service.status])
                for component in service.components {
                    rows.append([group.name, service.name, component.name, component.status])
                }
            }
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = [
            "environment: \(status.environment.isEmpty ? "-" : status.environment)  system status: \(status.systemStatus.isEmpty ? status.status : status.systemStatus)  updated: \(status.lastUpdatedTime.isEmpty ? "-" : status.lastUpdatedTime)"
        ]
        for row in rows {
            lines.append(
                row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n")
    }
}
