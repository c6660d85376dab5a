import UsageCore

/// An option with a bad value (exit 64).
struct OptionError: CategorizedError {
    var message: String
    init(_ message: String) { self.message = message }
    var category: ExitCategory { .usage }
    var description: String { message }
}
