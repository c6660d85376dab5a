import ArgumentParser
import Foundation
import UsageStore

/// `ttusage runs`: the store's run history, newest first.
struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the exports and renders a store has recorded, newest first.",
        discussion: """
            Each export and render that uses a store records its run: when it
            started and finished, the command, environment, range, keys, calls,
            throttled answers, exit code and output folder.
            Example:
              ttusage runs --last 5
              ttusage runs --store /srv/ttusage/usage.sqlite --json
            Environment: XDG_DATA_HOME (the store), XDG_CONFIG_HOME (profiles).
            Exit codes: 0 ok, 64 bad usage, 65 damaged store, 66 no store.
            """)

    @Option(help: "The usage store (default: the profile's, or $XDG_DATA_HOME/ttusage/usage.sqlite).")
    var store: String?
    @Option(help: "How many runs to list.") var last: Int = 20
    @Flag(help: "An array of JSON objects instead of a table.") var json = false
    @OptionGroup var profiles: ProfileOptions

    func run() async throws {
        try await CommandFailure.run {
            guard last >= 1 else { throw CommandError.usage("--last \(last) must be at least 1") }
            let profile = try profiles.load()
            let path = store ?? profile?.store ?? UsageStore.defaultPath()
            let runs = try await UsageStore(path: path, readOnly: true).runs(last: last)
            print(json ? Self.json(runs) : Self.table(runs))
            return 0
        }
    }

    /// One JSON object a run, with exactly the members scripts read.
    struct Entry: Encodable {
        var started: String
        var finished: String
        var command: String
        var environment: String
        var from: String
        var to: String
        var keys: Int
        var calls: Int
        var throttled: Int
        var exit_code: Int32
        var out: String
    }

    static func json(_ runs: [RunRecord]) -> String {
        let entries = runs.map {
            Entry(
                started: iso($0.started), finished: iso($0.finished), command: $0.command, environment: $0.environment,
                from: $0.from, to: $0.to, keys: $0.keys, calls: $0.calls, throttled: $0.throttled,
                exit_code: $0.exitCode, out: $0.out)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func table(_ runs: [RunRecord]) -> String {
        guard !runs.isEmpty else { return "no runs recorded" }
        var rows = [
            ["STARTED (UTC)", "TOOK", "COMMAND", "ENVIRONMENT", "RANGE", "KEYS", "CALLS", "THROTTLED", "EXIT", "OUT"]
        ]
        for run in runs {
            rows.append([
                iso(run.started), "\(Int(run.finished.timeIntervalSince(run.started).rounded()))s", run.command,
                run.environment, run.from.isEmpty ? "-" : "\(run.from) to \(run.to)", String(run.keys),
                String(run.calls), String(run.throttled), "\(run.exitCode)\(run.wroteReport ? "" : " (no report)")",
                run.out,
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    static func iso(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
