import TTID
import UsageCore

/// Where an export gets one key's series for one chunk: the ttid client, or a stand-in.
public protocol KeyUsageFetching: Sendable {
    func keyUsage(appKey: String, userId: String, startDate: String, endDate: String) async throws -> KeyUsageSeries
}

extension TTIDClient: KeyUsageFetching {}
