import Foundation
import UsageAnalysis
import UsageCore

extension SavedReport {
    /// Reads a report.json, or the report.json inside a folder.
    ///
    /// - Throws: `ReportError` `.noInput` when there is no such file, `.dataError` when it is not a valid report
    ///   (amounts included: decimal strings in an ISO 4217 currency).
    public static func read(_ path: String) throws -> SavedReport {
        let url = ReportJSON.location(of: path)
        let data = try ReportJSON.contents(of: url)
        let dataset = try ReportJSON.decode(data, source: url.path)
        let (invoices, template) = try amounts(data, source: url.path)
        return SavedReport(source: url.path, dataset: dataset, invoices: invoices, template: template)
    }
}
