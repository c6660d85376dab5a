import Hummingbird

/// The request context of the sandbox: Hummingbird's basics plus a way to drop the connection.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Closes the request's connection at once, without any response.
    let closeConnection: @Sendable () async -> Void

    init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        let channel = source.channel
        self.closeConnection = {
            try? await channel.close()
        }
    }
}

/// Answers every request through ``SandboxState``; a dedicated responder rather than a `Router`, because the
/// service answers unknown paths and methods with the gateway's 403, not a 404.
struct SandboxResponder: HTTPResponder {
    typealias Context = SandboxRequestContext

    /// The largest body read; a token request is a few hundred bytes.
    static let maxBodySize = 64 * 1024

    private static let apiKeyName = HTTPFields.Element.Name("x-api-key")

    let state: SandboxState

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let body = try? await request.collectBody(upTo: Self.maxBodySize)
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where query[String(name)] == nil {
            query[String(name)] = String(value)
        }
        let parts = SandboxRequest(
            method: request.method,
            path: request.uri.path,
            query: query,
            apiKey: Self.apiKeyName.flatMap { request.headers[$0] },
            authorization: request.headers[.authorization],
            contentType: request.headers[.contentType],
            body: body.map { String(decoding: $0.readableBytesView, as: UTF8.self) }
        )
        let (answer, latency) = await self.state.answer(parts)
        if latency > .zero {
            // Cancellation cuts the delay short: the request is still answered.
            try? await Task.sleep(for: latency)
        }
        guard let response = answer.response else {
            context.logger.debug("Dropping the connection (injected fault)")
            await context.closeConnection()
            throw SandboxConnectionDropped()
        }
        return response
    }
}

/// Thrown after the connection was closed on purpose; nothing can be written to it any more.
struct SandboxConnectionDropped: Error {}
