import Foundation

/// An application key and its secret. The secret never appears in a description, a log or an error.
public struct TTCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The application key, sent as `x-api-key`, exactly as given.
    public let appKey: String
    /// `<key>:<secret>` as the token form's `app_key` field wants it.
    let keyAndSecret: String

    /// Takes the secret bare, or as the `key:secret` string that TT Setup shows.
    public init(appKey: String, secret: String) {
        let key = appKey.trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        self.appKey = key
        if let colon = secret.firstIndex(of: ":"),
            secret[..<colon].caseInsensitiveCompare(key) == .orderedSame || Self.looksLikeKey(secret[..<colon])
        {
            self.keyAndSecret = secret
        } else {
            self.keyAndSecret = "\(key):\(secret)"
        }
    }

    public var description: String { "TTCredentials(appKey: \(appKey), secret: ***)" }
    public var debugDescription: String { description }

    private static func looksLikeKey(_ text: Substring) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
