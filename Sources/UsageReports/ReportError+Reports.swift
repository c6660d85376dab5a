import UsageCore
import XLSXKit

extension ReportError {
    /// A template name that is neither bundled nor a path (exit 64); the message lists the bundled names.
    public static func unknownTemplate(_ name: String) -> ReportError {
        let names = ReportTemplate.bundledNames.joined(separator: ", ")
        return ReportError(
            .unknownTemplate,
            "unknown template \"\(name)\": bundled templates are \(names); a path must hold \"/\" or end in .yaml")
    }

    /// A failed libxlsxwriter call of the XLSX wrapper (exit 73).
    static func xlsx(_ error: XLSXError) -> ReportError {
        ReportError(.xlsx, error.description)
    }
}
