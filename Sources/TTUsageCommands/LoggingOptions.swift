import ArgumentParser
import Logging

/// How much the tool says on standard error.
struct LoggingOptions: ParsableArguments {
    @Option(help: "swift-log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    @Flag(name: .shortAndLong, help: "No progress and no summary line; errors only.")
    var quiet = false

    func makeLogger(label: String = "ttusage") throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw CommandError.usage(
                "--log-level \(logLevel) is not one of trace, debug, info, notice, warning, error, critical")
        }
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = quiet ? max(level, .error) : level
        return logger
    }
}
