import Foundation

/// Makes TT request IDs, `<app>-<company>--<uuid>`, with a new UUID for every single request.
public struct RequestIDFactory: Hashable, Sendable {
    public let appName: String
    public let company: String

    /// Default names used when the user gives none.
    public static let defaultAppName = "ttusage"
    public static let defaultCompany = "company"

    /// Checks both names against TT's rules: letters, digits, `_` and `.` only, 1 to 64 characters.
    public init(appName: String = defaultAppName, company: String = defaultCompany) throws {
        try Self.validate(appName, option: "--app-name")
        try Self.validate(company, option: "--company")
        self.appName = appName
        self.company = company
    }

    /// A new request ID.
    public func make() -> String { "\(appName)-\(company)--\(UUID().uuidString.lowercased())" }

    static func validate(_ name: String, option: String) throws {
        guard !name.isEmpty else { throw TTIDConfigurationError(option: option, message: "must not be empty") }
        guard name.count <= 64 else {
            throw TTIDConfigurationError(option: option, message: "must be at most 64 characters")
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == ".")
        }
        guard allowed else {
            throw TTIDConfigurationError(
                option: option,
                message: "\"\(name)\" may hold only letters, digits, '_' and '.' (TT's request ID rules)")
        }
    }
}
