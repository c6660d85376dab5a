/// What kind of failure stopped a command; each maps to one sysexits code of the command-line contract.
public enum ExitCategory: Sendable, Equatable {
    /// 2: a report was written, but some keys were refused.
    case partial
    /// 3: a report was written, and `--alert` rules were met (2 wins over 3).
    case alerts
    /// 64: an option with a bad value, or missing credentials.
    case usage
    /// 65: a malformed manifest, template, report.json or configuration file.
    case dataError
    /// 66: an input file that does not exist or cannot be read.
    case noInput
    /// 69: the service cannot be reached, or keeps failing after the retries.
    case unavailable
    /// 73: the output cannot be written.
    case cantCreate
    /// 75: the daily quota is spent.
    case tempFail
    /// 77: the service refuses the credentials.
    case noPermission

    /// The process exit code.
    public var code: Int32 {
        switch self {
        case .partial: 2
        case .alerts: 3
        case .usage: 64
        case .dataError: 65
        case .noInput: 66
        case .unavailable: 69
        case .cantCreate: 73
        case .tempFail: 75
        case .noPermission: 77
        }
    }
}

/// An error that knows its exit category and has one line for the user (no secret in it).
public protocol CategorizedError: Error, CustomStringConvertible {
    /// Which exit code the command ends with.
    var category: ExitCategory { get }
}
