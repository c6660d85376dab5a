import Foundation
import Hummingbird

/// The authorizer (`x-api-key`, `Bearer`, `requestId`) and `POST /token`.
extension SandboxState {
    // MARK: Authorizer

    func authorize(_ request: SandboxRequest, apiKey: String) -> SandboxAnswer? {
        guard let header = request.authorization else {
            return self.unauthorized(.unauthorized, "Unauthorized")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return self.unauthorized(.unauthorized, "Unauthorized")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard let issued = self.tokens[token] else {
            return self.unauthorized(.unauthorized, "Unauthorized")
        }
        if self.expiringArrivals > 0 {
            self.expiringArrivals -= 1
            return self.expired()
        }
        guard self.configuration.elapsed() < issued.expires else {
            return self.expired()
        }
        guard issued.appKey == apiKey else {
            return self.unauthorized(.forbidden, "Forbidden")
        }
        return nil
    }

    func expired() -> SandboxAnswer {
        let status = self.configuration.expiredTokenStatus == 403 ? HTTPResponse.Status.forbidden : .unauthorized
        return self.unauthorized(status, "The incoming token has expired")
    }

    func unauthorized(_ status: HTTPResponse.Status, _ message: String) -> SandboxAnswer {
        self.counters.unauthorized += 1
        return .gateway(status, message)
    }

    static func checkRequestID(_ request: SandboxRequest) -> SandboxAnswer? {
        guard let requestID = request.query["requestId"], SandboxSyntax.isRequestID(requestID) else {
            return .ttFail(.badRequest, "Invalid requestId")
        }
        return nil
    }

    // MARK: POST /token

    func token(_ request: SandboxRequest, credential: SandboxCredential) -> SandboxAnswer {
        if let refusal = Self.checkRequestID(request) {
            return refusal
        }
        let mediaType = request.contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
        guard mediaType?.lowercased() == "application/x-www-form-urlencoded" else {
            return .ttFail(
                .badRequest,
                "invalid_request",
                description: "Content-Type must be application/x-www-form-urlencoded"
            )
        }
        let form = SandboxSyntax.decodeForm(request.body ?? "")
        guard form["grant_type"] == "user_app" else {
            return .ttFail(.badRequest, "invalid_request", description: "grant_type must be user_app")
        }
        guard let appKeyField = form["app_key"], let colon = appKeyField.firstIndex(of: ":") else {
            return .ttFail(.badRequest, "invalid_request", description: "app_key must be <APP_KEY>:<APP_SECRET>")
        }
        let key = appKeyField[..<colon]
        let secret = appKeyField[appKeyField.index(after: colon)...]
        guard key == credential.appKey, secret == credential.secret else {
            self.counters.unauthorized += 1
            return .ttFail(.badRequest, "invalid_client", description: "Bad client credentials")
        }
        let now = self.configuration.elapsed()
        if self.tokens.count >= Self.maxTokens {
            self.tokens = self.tokens.filter { $0.value.expires > now }
        }
        let lifetime = self.configuration.tokenLifetime
        let token = Self.makeToken()
        self.tokens[token] = IssuedToken(appKey: credential.appKey, expires: now + lifetime)
        self.counters.tokensIssued.append(token)
        let seconds = max(1, Int(lifetime.components.seconds))
        return .json(
            .ok,
            .object([
                ("status", .string("Ok")),
                ("access_token", .string(token)),
                ("token_type", .string("bearer")),
                ("seconds_until_expiry", .int(seconds)),
            ])
        )
    }

    static func makeToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<48).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
