import Foundation
import TTUsageTestSupport
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Independent readers of what `ttusage` wrote, for tests that check the files rather than the code that made them.
enum ReportReaders {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: - CSV

    /// The strict RFC 4180 reader the test targets share (``CSVReader``).
    static func csvRecords(_ data: Data) throws -> [[String]] { try CSVReader.records(data) }

    /// The text a CSV cell holds for `text`: OWASP's rule, one `'` before a value that starts with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return.
    static func csvNeutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else {
            return text
        }
        return "'" + text
    }

    /// Writes one CSV field with RFC 4180 quoting (for building manifests).
    static func csvQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
