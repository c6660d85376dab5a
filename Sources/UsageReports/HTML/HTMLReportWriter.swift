import Foundation
import Mustache
import UsageCore

/// Writes `report.html`: the page model of ``HTMLPage`` through the Mustache pieces of ``HTMLTemplate``, rendered one
/// after another into the file as it is written. A table's rows are made and rendered ``chunkRows`` at a time, so
/// what is held at once is one piece of the page, never the page.
struct HTMLReportWriter {
    let dataset: UsageDataset
    let made: ReportTables
    let options: RenderOptions

    /// Rows of a table made into page rows and rendered at once.
    static let chunkRows = 50

    /// Writes the page to `sink` and closes it.
    func write(to sink: ByteSink) throws {
        let library = try Self.library()
        let page = HTMLPage(dataset: dataset, made: made, options: options)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ByteSink.blockSize + 65_536)
        func emit(_ piece: String, _ context: Any) throws {
            guard let text = library.render(context, withTemplate: piece) else {
                throw ReportError.cannotWrite(path: "report.html", reason: "the page template \(piece) is missing")
            }
            bytes.append(contentsOf: text.utf8)
            try sink.drain(&bytes)
        }
        func table(_ table: HTMLPage.Table) throws {
            try emit("tableTop", table)
            var start = 0
            while start < table.shown {
                let end = min(start + Self.chunkRows, table.shown)
                try emit("tableRows", HTMLPage.RowChunk(rows: table.rows(start..<end)))
                start = end
            }
            try emit("tableBottom", table)
        }
        try emit("top", page)
        for leading in page.leading { try table(leading) }
        try emit("charts", page)
        for other in page.tables { try table(other) }
        try emit("bottom", page)
        try sink.close(writing: bytes)
    }

    /// The page's pieces, parsed.
    private static func library() throws -> MustacheLibrary {
        do {
            return MustacheLibrary(templates: [
                "top": try MustacheTemplate(string: HTMLTemplate.top),
                "charts": try MustacheTemplate(string: HTMLTemplate.charts),
                "bottom": try MustacheTemplate(string: HTMLTemplate.bottom),
                "tableTop": try MustacheTemplate(string: HTMLTemplate.tableTop),
                "tableRows": try MustacheTemplate(string: HTMLTemplate.tableRows),
                "tableBottom": try MustacheTemplate(string: HTMLTemplate.tableBottom),
            ])
        } catch {
            // The templates are this tool's own text: a parse error is a bug, reported as a failed write.
            throw ReportError.cannotWrite(path: "report.html", reason: "the page template does not parse: \(error)")
        }
    }
}
