/// One key to report on: a row of the keys manifest.
public struct KeyEntry: Hashable, Sendable, Codable {
    /// The TT application key, exactly as the manifest writes it (case kept).
    public var appKey: String
    /// The TT user id that owns the key (`users[].id` of ttuser).
    public var userId: String
    /// A free-text label (often the customer); may be empty.
    public var label: String

    public init(appKey: String, userId: String, label: String) {
        self.appKey = appKey
        self.userId = userId
        self.label = label
    }
}
