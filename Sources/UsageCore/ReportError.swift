import Foundation

/// Why a report could not be made: a bad template, an unreadable or invalid input, or an output that cannot be
/// written.
///
/// A struct over a private code, so that cases can be added without breaking callers; each error knows its exit
/// category and carries one line for the user in `description`.
public struct ReportError: CategorizedError, Equatable {
    package enum Code: Equatable {
        case unknownTemplate
        case brokenTemplate
        case missingInput
        case invalidReport
        case cannotWrite
        case xlsx
        case tooLarge
        case brokenRateCard
        case badUsage
        case outputBusy
        case interrupted
    }

    private let code: Code
    /// The one line shown to the user.
    public let description: String

    package init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// Which exit code the command ends with.
    public var category: ExitCategory {
        switch code {
        case .unknownTemplate, .tooLarge, .badUsage: .usage
        case .brokenTemplate, .invalidReport, .brokenRateCard: .dataError
        case .missingInput: .noInput
        case .cannotWrite, .xlsx: .cantCreate
        case .outputBusy, .interrupted: .tempFail
        }
    }

    /// A template file that cannot be used (exit 65), named with its line when known.
    public static func brokenTemplate(source: String, line: Int?, problem: String) -> ReportError {
        let place = line.map { "\(source) line \($0)" } ?? source
        return ReportError(.brokenTemplate, "\(place): \(problem)")
    }

    /// A rate card that cannot be used (exit 65): the file, the line and what is wrong.
    public static func brokenRateCard(source: String, line: Int, problem: String) -> ReportError {
        ReportError(.brokenRateCard, "rate card \(source) line \(line): \(problem)")
    }

    /// An input file (template or report.json) that does not exist or cannot be read (exit 66).
    public static func missingInput(path: String, reason: String) -> ReportError {
        ReportError(.missingInput, "\(path): \(reason)")
    }

    /// A report.json that is not a valid report (exit 65).
    public static func invalidReport(source: String, problem: String) -> ReportError {
        ReportError(.invalidReport, "\(source): \(problem)")
    }

    /// An output file or folder that cannot be written (exit 73).
    public static func cannotWrite(path: String, reason: String) -> ReportError {
        ReportError(.cannotWrite, "cannot write \(path): \(reason)")
    }

    /// Another run is writing the same report folder (exit 75).
    public static func outputBusy(path: String) -> ReportError {
        ReportError(
            .outputBusy,
            "output busy: another ttusage run is writing \(path); run again when it has finished")
    }

    /// A render stopped by SIGINT or SIGTERM before its report was switched in (the command exits 130 or 143).
    public static let interrupted = ReportError(
        .interrupted, "interrupted while writing: the report folder holds the previous report as it was")

    /// Whether this is ``interrupted``.
    public var isInterrupted: Bool { code == .interrupted }

    /// A libxlsxwriter call that failed, with the library's own message (exit 73).
    public static func xlsx(path: String, operation: String, message: String) -> ReportError {
        ReportError(.xlsx, "cannot write \(path): \(operation) failed: \(message)")
    }

    /// Options that cannot work together (exit 64), such as statements to send with no sender.
    public static func badUsage(_ problem: String) -> ReportError {
        ReportError(.badUsage, problem)
    }

    /// A table that does not fit the format's limits with these options (exit 64).
    public static func tooLarge(_ problem: String) -> ReportError {
        ReportError(.tooLarge, problem)
    }
}
