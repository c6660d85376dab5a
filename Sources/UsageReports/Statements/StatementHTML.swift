import Mustache
import UsageCore

/// Renders `statement.html` pages; the templates are parsed once for all the customers of a run.
struct StatementHTML {
    private let library: MustacheLibrary

    init() throws {
        do {
            library = MustacheLibrary(templates: [
                "page": try MustacheTemplate(string: StatementTemplate.page),
                "table": try MustacheTemplate(string: StatementTemplate.table),
            ])
        } catch {
            // The templates are this tool's own text: a parse error is a bug, reported as a failed write.
            throw ReportError.cannotWrite(
                path: "statement.html", reason: "the statement template does not parse: \(error)")
        }
    }

    /// The page of one statement.
    func page(_ page: StatementPage) throws -> String {
        guard let text = library.render(page, withTemplate: "page") else {
            throw ReportError.cannotWrite(path: "statement.html", reason: "the statement template is missing")
        }
        return text
    }
}
