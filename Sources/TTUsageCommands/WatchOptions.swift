import ArgumentParser
import Foundation

/// What a run tells the operator's monitoring and chat when it ends: a metrics file and webhook notifications.
struct WatchOptions: ParsableArguments {
    enum NotifyOn: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Any exit other than 0.
        case problems
        case always
    }

    @Option(
        help:
            "Write the run's figures in the Prometheus text format to FILE at the end (atomically), for node_exporter's textfile collector."
    )
    var metrics: String?

    @Option(
        help:
            "POST a JSON summary to this webhook after the run (repeatable; https://, or http:// to a loopback host). Slack, Mattermost and Teams show its text."
    )
    var notify: [String] = []

    @Option(help: "When to notify: problems (any exit other than 0) or always (default: problems).")
    var notifyOn: NotifyOn?

    /// The settings with the profile's, checked.
    func settings(_ profile: Profile?) throws -> RunWatch.Settings {
        let urls = try (notify.isEmpty ? profile?.notify ?? [] : notify).map {
            try Notifier.check($0, option: notify.isEmpty ? "notify (profile)" : "--notify")
        }
        var on = notifyOn
        if on == nil, let name = profile?.notifyOn {
            guard let value = NotifyOn(rawValue: name) else {
                throw CommandError.usage("notify-on (profile): \(name) is not one of problems, always")
            }
            on = value
        }
        return RunWatch.Settings(metrics: metrics ?? profile?.metrics, notify: urls, notifyOn: on ?? .problems)
    }
}
