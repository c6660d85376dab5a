/// A transient failure the sandbox can inject instead of a request's real answer.
public enum SandboxFault: String, Sendable, CaseIterable {
    /// HTTP 502 or 503 `{"message":"Internal server error"}` from the gateway, sometimes with `Retry-After: 0`.
    case gateway5xx
    /// HTTP 500 `{"status":"StatusFail","status_message":"Internal error","statusCode":500}` from TT's backend.
    case tt5xx
    /// The connection is closed without any response.
    case dropConnection
    /// HTTP 200 with a JSON body cut off in the middle.
    case malformedJSON
    /// HTTP 429 `{"message":"Too Many Requests"}` with `Retry-After: 0`.
    case throttle429
}
