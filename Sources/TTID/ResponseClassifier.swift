import Foundation

/// Turns a non-success answer into a `TTIDError` of the right class.
enum ResponseClassifier {
    /// Reads which of TT's two error shapes a body has, and its message.
    static func errorBody(_ body: Data) -> (shape: TTIDError.BodyShape, message: String, ttStatus: String?) {
        guard !body.isEmpty else { return (.none, "", nil) }
        guard let json = JSONValue.parse(body), let object = json.object else {
            return (.other, "", nil)
        }
        if let status = object["status"]?.string {
            let message = kept(object["status_message"]?.string ?? object["message"]?.string ?? "")
            let desc = kept(object["status_desc"]?.string ?? "")
            let text = desc.isEmpty || desc == message ? message : "\(message) (\(desc))"
            return (.ttStatus, text, ServiceText.clean(status, limit: 40))
        }
        if let message = object["message"]?.string ?? object["Message"]?.string {
            return (.gatewayMessage, kept(message), nil)
        }
        return (.other, "", nil)
    }

    /// The characters of a service's message that are kept: far more than any line shows (`ServiceText.clean`
    /// cuts at 300), so redaction still sees every secret that could be shown, while a megabyte-long message
    /// costs no more to classify, redact and clean than a short one.
    static let keptMessageLength = 4_096

    private static func kept(_ message: String) -> String {
        message.count > keptMessageLength ? String(message.prefix(keptMessageLength)) : message
    }

    /// Whether an answer refuses the bearer token rather than the call: any 401, and a 403 whose message speaks of
    /// an expired or invalid token (TT publishes no expiry answer; a gateway authorizer may deny with 403).
    static func refusesToken(status: Int, body: Data) -> Bool {
        refusesToken(classify(endpoint: "keyusage", status: status, body: body, retryAfter: nil, requestID: ""))
    }

    /// ``refusesToken(status:body:)`` of an answer already classified.
    static func refusesToken(_ error: TTIDError) -> Bool {
        if error.status == 401 { return true }
        // A body that is not a JSON message (`.other`) has no message of the service's to read.
        guard error.status == 403, error.bodyShape != .other else { return false }
        let message = error.message.lowercased()
        return message.contains("expired") || message.contains("token")
    }

    /// The class of a failed answer from `endpoint`. The message is the service's (its first
    /// ``keptMessageLength`` characters): the client redacts and cleans it (`TTIDClient.redact`) before it goes
    /// anywhere.
    static func classify(
        endpoint: String, status: Int, body: Data, retryAfter: Duration?, requestID: String
    ) -> TTIDError {
        let (shape, message, ttStatus) = errorBody(body)
        let kind: TTIDError.Kind
        switch status {
        case 429:
            // AWS's quota answer is "Limit Exceeded"; TT publishes none of its own, so a 429 that speaks of a quota
            // in its own words is taken as spent too. Anything else is throttling, worth another try.
            let text = message.lowercased()
            kind = text.contains("limit exceeded") || text.contains("quota") ? .quotaExceeded : .transient
        case 500...599, 408:
            kind = .transient
        case 401:
            // A bearer call only gets here after a renewal: the service refuses the credentials themselves.
            kind = .credentialsRefused
        case 400...499:
            kind = endpoint == "token" ? .credentialsRefused : .refused
        default:
            // A 1xx or 3xx that was not followed: a fault on the way, worth another try.
            kind = .transient
        }
        var text = message
        if text.isEmpty, shape == .other, endpoint != "token" {
            text = "unexpected body: " + String(decoding: body.prefix(120), as: UTF8.self)
        }
        return TTIDError(
            kind: kind, endpoint: endpoint, status: status, bodyShape: shape, message: text, ttStatus: ttStatus,
            retryAfter: retryAfter, requestID: requestID)
    }

    /// `Retry-After` in seconds or as an HTTP date.
    static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64(min(seconds, 86_400) * 1000))
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) {
                let seconds = max(0, min(date.timeIntervalSince(now), 86_400))
                return .milliseconds(Int64(seconds * 1000))
            }
        }
        return nil
    }
}
