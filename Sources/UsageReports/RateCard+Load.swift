import Foundation
import UsageAnalysis
import UsageCore

extension RateCard {
    /// Reads a rate card file.
    ///
    /// - Throws: `ReportError` `.noInput` when the file is missing or unreadable, `.dataError` naming the file
    ///   and the line when it is not a valid rate card.
    public static func load(path: String) throws -> RateCard {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReportError.missingInput(path: path, reason: "no such rate card file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ReportError.missingInput(path: path, reason: "the rate card cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportError.brokenTemplate(source: path, line: nil, problem: "the rate card is not UTF-8 text")
        }
        return try RateCardParser(source: path).parse(text)
    }
}
