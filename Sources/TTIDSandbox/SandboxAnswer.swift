import Hummingbird

/// What the sandbox does with one request: an HTTP answer, or a dropped connection.
enum SandboxAnswer: Sendable {
    case respond(status: HTTPResponse.Status, body: String, retryAfterZero: Bool)
    case dropConnection

    /// A JSON answer.
    static func json(_ status: HTTPResponse.Status, _ body: SandboxJSON, retryAfterZero: Bool = false) -> Self {
        .respond(status: status, body: body.text, retryAfterZero: retryAfterZero)
    }

    /// AWS API Gateway's own error shape: `{"message":"…"}`.
    static func gateway(_ status: HTTPResponse.Status, _ message: String, retryAfterZero: Bool = false) -> Self {
        .json(status, .object([("message", .string(message))]), retryAfterZero: retryAfterZero)
    }

    /// TT's backend error shape: `{"status":"StatusFail","status_message":"…","statusCode":…}`.
    static func ttFail(_ status: HTTPResponse.Status, _ message: String, description: String? = nil) -> Self {
        var members: [(String, SandboxJSON)] = [
            ("status", .string("StatusFail")), ("status_message", .string(message)),
        ]
        if let description {
            members.append(("status_desc", .string(description)))
        }
        members.append(("statusCode", .int(status.code)))
        return .json(status, .object(members))
    }

    /// The HTTP response; `nil` for a dropped connection.
    var response: Response? {
        switch self {
        case .respond(let status, let body, let retryAfterZero):
            var headers: HTTPFields = [.contentType: "application/json"]
            if retryAfterZero {
                headers[.retryAfter] = "0"
            }
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .dropConnection:
            return nil
        }
    }
}
