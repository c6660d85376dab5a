/// A failed ttid call, with the context a person needs and the class the pipeline acts on.
///
/// It never holds the app secret or a token: bodies of `/token` answers are not kept, and no request header is.
public struct TTIDError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the caller should do about the failure.
    public enum Kind: String, Hashable, Sendable {
        /// 5xx, a reset or refused connection, a timeout, a malformed body, or 429 Too Many Requests: retry.
        case transient
        /// 429 Limit Exceeded: the daily quota is spent; nothing succeeds before 00:00 UTC.
        case quotaExceeded
        /// The service refuses the application key or secret.
        case credentialsRefused
        /// The service refuses this one request for good (permission, or a bad request on keyusage).
        case refused
        /// HTTP 200 whose body says `"status":"Fail"`.
        case failStatus
    }

    /// Which of the service's body shapes came back.
    public enum BodyShape: String, Hashable, Sendable {
        /// `{"message":…}` of the AWS gateway.
        case gatewayMessage
        /// `{"status","status_message"}` of TT.
        case ttStatus
        /// Something else, or no body (a transport failure).
        case other
        case none
    }

    public var kind: Kind
    /// The endpoint called: `token`, `keyusage` or `healthcheckstatus`.
    public var endpoint: String
    /// The HTTP status, `nil` when no answer came.
    public var status: Int?
    public var bodyShape: BodyShape
    /// The message of the body, or of the transport failure.
    public var message: String
    /// TT's `status` field (`StatusFail`, `Fail`) when present.
    public var ttStatus: String?
    /// The wait the service asked for (`Retry-After`).
    public var retryAfter: Duration?
    /// The request ID of the failed call, to quote to TT support.
    public var requestID: String?
    /// Set on a throttle when no call has succeeded for this long (the pacer's give-up time): the run ends.
    public var stalledFor: Duration?
    /// No connection could be made (refused, no route, unknown host, connect timeout) and the client has had no
    /// answer from the service yet: retrying for minutes cannot help, so it is retried only briefly.
    public var notReached = false

    public init(
        kind: Kind, endpoint: String, status: Int?, bodyShape: BodyShape, message: String, ttStatus: String? = nil,
        retryAfter: Duration? = nil, requestID: String? = nil
    ) {
        self.kind = kind
        self.endpoint = endpoint
        self.status = status
        self.bodyShape = bodyShape
        self.message = message
        self.ttStatus = ttStatus
        self.retryAfter = retryAfter
        self.requestID = requestID
    }

    /// 429 Too Many Requests: the service asks for a slower rate. It is retried without counting as a retry,
    /// until no call has succeeded for the pacer's give-up time (`stalledFor`).
    public var isThrottle: Bool { kind == .transient && status == 429 }

    /// Whether a 401, or a gateway authorizer's 403, says the token expired (`The incoming token has expired`)
    /// rather than that it, or the credentials behind it, are not good.
    public var isExpiredToken: Bool {
        (status == 401 || status == 403) && message.lowercased().contains("expired")
    }

    public var description: String {
        var text = "\(endpoint): "
        if let status { text += "HTTP \(status)" } else { text += "no answer" }
        if let ttStatus { text += " \(ttStatus)" }
        if !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " (requestId \(requestID))" }
        if let stalledFor { text += "; no call has succeeded for \(Self.format(stalledFor))" }
        return text
    }

    /// `4m 30s`, `45s`.
    static func format(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        return seconds >= 60 ? "\(seconds / 60)m \(seconds % 60)s" : "\(seconds)s"
    }
}
