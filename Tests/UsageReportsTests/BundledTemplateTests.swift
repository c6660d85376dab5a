import Foundation
import Testing

@testable import UsageReports

/// The templates in `templates/` are what users read; the tool carries copies compiled in (written by
/// `scripts/bundle-templates`). They must not drift.
@Suite struct BundledTemplateTests {
    static let templatesFolder = TestData.repositoryRoot.appendingPathComponent("templates")

    @Test(arguments: ReportTemplate.bundledNames)
    func embeddedTextEqualsTheFileInTemplates(name: String) throws {
        let file = try String(
            contentsOf: Self.templatesFolder.appendingPathComponent("\(name).yaml"), encoding: .utf8)
        let embedded = try #require(BundledTemplates.text(named: name))
        let hint = "templates/\(name).yaml changed: run scripts/bundle-templates"
        #expect(embedded == file, Comment(rawValue: hint))
    }

    @Test func everyTemplateFileIsBundled() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.templatesFolder.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(files == ReportTemplate.bundledNames.sorted())
    }

    @Test(arguments: ReportTemplate.bundledNames)
    func bundledTemplatesParse(name: String) throws {
        let template = try ReportTemplate.resolve(name)
        #expect(template.name == name)
        #expect(template.source == "bundled")
        #expect(!template.tables.isEmpty)
    }

    @Test func defaultIsSpreadsheetHandoffWithAKeyByDayMatrix() throws {
        #expect(ReportTemplate.default.name == ReportTemplate.defaultName)
        let matrix = try #require(ReportTemplate.default.tables.first)
        #expect(matrix.layout == .matrix)
        #expect(matrix.rowGroup == .key)
        #expect(matrix.across == .day)
        #expect(matrix.value == .used)
    }
}
