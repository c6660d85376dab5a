import UsageCore

/// A failure of the command line itself (an option, a file it names, the output folder), with its exit category
/// and one line for the user.
struct CommandError: CategorizedError {
    var message: String
    var category: ExitCategory

    init(_ message: String, category: ExitCategory) {
        self.message = message
        self.category = category
    }

    /// An option with a bad value (exit 64).
    static func usage(_ message: String) -> CommandError { CommandError(message, category: .usage) }

    var description: String { message }
}
