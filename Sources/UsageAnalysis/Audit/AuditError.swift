import UsageCore

/// A bad value of an audit option (`--alert`, `--anomaly`): exit 64, with one line naming the option and why.
public struct AuditError: CategorizedError, Equatable {
    /// The one line shown to the user.
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    public var category: ExitCategory { .usage }
}
