import Foundation
import Mustache
import UsageCore

/// Writes `report.html`: the page model of ``HTMLPage`` through the Mustache template of ``HTMLTemplate``.
struct HTMLReportWriter {
    let dataset: UsageDataset
    let made: ReportTables
    let options: RenderOptions

    /// The page's text.
    func page() throws -> String {
        let library: MustacheLibrary
        do {
            library = MustacheLibrary(templates: [
                "page": try MustacheTemplate(string: HTMLTemplate.page),
                "table": try MustacheTemplate(string: HTMLTemplate.table),
            ])
        } catch {
            // The templates are this tool's own text: a parse error is a bug, reported as a failed write.
            throw ReportError.cannotWrite(path: "report.html", reason: "the page template does not parse: \(error)")
        }
        let model = HTMLPage(dataset: dataset, made: made, options: options)
        guard let text = library.render(model, withTemplate: "page") else {
            throw ReportError.cannotWrite(path: "report.html", reason: "the page template is missing")
        }
        return text
    }

    /// Writes the page to `sink` and closes it.
    func write(to sink: ByteSink) throws {
        try sink.close(writing: Array(try page().utf8))
    }
}
