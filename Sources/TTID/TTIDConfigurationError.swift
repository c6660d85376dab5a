/// A client setting that cannot be used; raised before any connection is made.
public struct TTIDConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The option or setting at fault (for example `--base-url`).
    public var option: String
    /// One line for the user saying what is wrong.
    public var message: String

    public init(option: String, message: String) {
        self.option = option
        self.message = message
    }

    public var description: String { "\(option): \(message)" }
}
