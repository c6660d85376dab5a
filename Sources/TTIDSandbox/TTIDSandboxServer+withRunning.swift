extension TTIDSandboxServer {
    /// Runs `body` with a sandbox listening on `127.0.0.1` on a free port, and stops it when `body` returns or
    /// throws.
    ///
    /// ```swift
    /// try await TTIDSandboxServer.withRunning(SandboxConfiguration()) { server in
    ///     let base = server.baseURL + "/ttid/ext_uat_cert"
    ///     …
    /// }
    /// ```
    public static func withRunning<T>(
        _ configuration: SandboxConfiguration,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (TTIDSandboxServer) async throws -> T
    ) async throws -> T {
        let server = TTIDSandboxServer(configuration: configuration)
        try await server.start()
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
