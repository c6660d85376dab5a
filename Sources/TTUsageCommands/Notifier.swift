import AsyncHTTPClient
import Foundation
import NIOCore
import TTID

/// Posts a run's notification to webhooks (Slack, Mattermost and Teams show the `text` member).
///
/// A webhook URL is a credential: only its scheme and host are ever printed. A notification that fails is a
/// warning and never changes the run's exit code.
enum Notifier {
    /// A webhook address, checked: `https://`, or `http://` to a loopback host.
    static func check(_ text: String, option: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            throw CommandError.usage("\(option): the value is not a URL (expected https://host/…)")
        }
        switch scheme {
        case "https": return url
        case "http" where TTIDEndpoint.isLoopback(host): return url
        case "http": throw CommandError.usage("\(option): plain http is refused for \(host): use https://")
        default: throw CommandError.usage("\(option): scheme \(scheme) is not supported: use https://")
        }
    }

    /// The part of a webhook address that may be shown: scheme and host (and port).
    static func shown(_ url: URL) -> String {
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(url.scheme?.lowercased() ?? "https")://\(url.host ?? "?")\(port)"
    }

    /// Posts `body` to each URL: a 10 s deadline (2 s to connect), two retries after a fault (no answer, 5xx or
    /// 429); returns one warning line per URL that still failed.
    static func post(
        _ body: Data, to urls: [URL], timeout: Duration = .seconds(10), retries: Int = 2,
        backoff: Duration = .milliseconds(500)
    ) async -> [String] {
        guard !urls.isEmpty else { return [] }
        // A hook that accepts no connection in 2 s is down: AsyncHTTPClient would otherwise retry a refused
        // connection for the whole deadline, three times over.
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(2), read: TimeAmount(timeout))))
        var warnings: [String] = []
        for url in urls {
            var attempt = 0
            var last = ""
            while true {
                attempt += 1
                do {
                    var request = HTTPClientRequest(url: url.absoluteString)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.headers.add(name: "User-Agent", value: "ttusage")
                    request.body = .bytes(ByteBuffer(bytes: body))
                    let response = try await http.execute(request, timeout: TimeAmount(timeout))
                    _ = try? await response.body.collect(upTo: 64 * 1024)
                    let status = Int(response.status.code)
                    if (200..<300).contains(status) {
                        last = ""
                        break
                    }
                    last = "HTTP \(status)"
                    if status < 500 && status != 429 { break }
                } catch {
                    last = "no answer (\(error is HTTPClientError ? "\(error)" : "connection failed"))"
                }
                guard attempt <= retries else { break }
                try? await Task.sleep(for: backoff * attempt)
            }
            if !last.isEmpty {
                warnings.append(
                    "warning: the notification to \(shown(url)) failed after \(attempt.counted("attempt")): \(last)")
            }
        }
        try? await http.shutdown()
        return warnings
    }
}
