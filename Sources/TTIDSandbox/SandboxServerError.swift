/// Why a ``TTIDSandboxServer`` could not start.
public struct SandboxServerError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case alreadyStarted
        case noLocalAddress
        case stoppedBeforeListening
    }

    private let code: Code

    /// ``TTIDSandboxServer/start(host:port:)`` was called on a server that is starting or running.
    public static let alreadyStarted = SandboxServerError(code: .alreadyStarted)
    /// The listening socket has no port (not an IP address).
    public static let noLocalAddress = SandboxServerError(code: .noLocalAddress)
    /// The server ended before it listened.
    public static let stoppedBeforeListening = SandboxServerError(code: .stoppedBeforeListening)

    public var description: String {
        switch self.code {
        case .alreadyStarted: return "The ttid sandbox is already started"
        case .noLocalAddress: return "The ttid sandbox's socket has no port"
        case .stoppedBeforeListening: return "The ttid sandbox stopped before it listened"
        }
    }
}
