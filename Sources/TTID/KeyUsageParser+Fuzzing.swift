import Foundation

/// A public door to the keyusage body parser, for the fuzzer (`ttusage-fuzz`) and for tests outside this module.
///
/// The parser itself stays internal: its `Page` and `Failure` are details of `TTIDClient`. This entry point only
/// says how a body fared, which is all a fuzzer or a regression replay needs.
public enum KeyUsageBody {
    /// Parses `body` as one page of a keyusage answer for `appKey`.
    ///
    /// - Returns: the number of days of `appKey`'s series in the page, `0` when the page does not hold the key, or
    ///   `-1` when the parser rejects the body (not JSON, a shape with no series, a bad count, a `Fail` status).
    ///   It never traps on any input: a trap is a bug the fuzzer is there to find.
    public static func probe(_ body: Data, appKey: String) -> Int {
        do {
            let page = try KeyUsageParser.parse(body, appKey: appKey)
            return page.series?.count ?? 0
        } catch {
            return -1
        }
    }
}
