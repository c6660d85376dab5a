import ArgumentParser
import UsageCore

/// The `ttusage` command: daily API-key usage of TT's ttid service, exported into reports.
public struct TTUsage: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ttusage",
        abstract:
            "Export the daily API-key usage of TT REST API 2.0 (ttid GET /keyusage) into CSV, JSON and XLSX reports.",
        discussion: """
            Start with the demo, which needs no credentials and no network:
              ttusage demo --out demo-out

            A monthly billing run against TT:
              export TT_APP_KEY=<app key> TT_APP_SECRET=<secret or key:secret>
              ttusage export --month 2026-10 --keys keys.csv \\
                --out reports/2026-10 --template monthly-billing

            Environment: TT_APP_KEY, TT_APP_SECRET (credentials; never options).
            Exit codes: 0 ok, 2 some keys refused, 3 --alert rules met (2 wins),
            64 bad usage, 65 bad input data, 66 input missing,
            69 service unavailable, 73 output not writable,
            75 daily quota spent or store busy, 77 credentials refused,
            130/143 interrupted (SIGINT/SIGTERM).
            """,
        version: TTUsageVersion.current,
        subcommands: [Export.self, Plan.self, Health.self, Render.self, Runs.self, Sandbox.self, Demo.self, Diff.self]
    )

    public init() {}
}
