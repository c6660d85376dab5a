/// An application key and its secret that the sandbox accepts, as TT Setup issues them.
public struct SandboxCredential: Sendable, Hashable {
    /// The application key: the `x-api-key` header value and the part of `app_key` before the first `:`.
    public var appKey: String
    /// The application secret: the part of the token request's `app_key` after the first `:`.
    public var secret: String

    /// Creates a credential from an application key and its secret.
    public init(appKey: String, secret: String) {
        self.appKey = appKey
        self.secret = secret
    }
}
