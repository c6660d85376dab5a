import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

extension TTIDClient {
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded: return "no answer within the request timeout"
            case .readTimeout: return "read timeout"
            case .remoteConnectionClosed: return "the connection was closed before an answer came"
            case .connectTimeout: return "connect timeout"
            default: return "HTTP client: \(error)"
            }
        }
        if let error = error as? IOError {
            // NIO's own description of a socket error reads "connection reset (error set): …" for any errno.
            return "connection failed: \(String(cString: strerror(error.errnoCode))) (errno \(error.errnoCode))"
        }
        return String(describing: error)
    }

    /// Whether `error` says no connection could be made at all (as opposed to one that broke or timed out later).
    static func isConnectFailure(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .connectTimeout }
        if let error = error as? IOError {
            return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(error.errnoCode)
        }
        if error is NIOConnectionError { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        return false
    }
}
