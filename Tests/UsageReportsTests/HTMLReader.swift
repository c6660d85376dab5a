import Foundation
import TTUsageTestSupport

/// report.html read back by a parser: the page is written as well-formed XML (polyglot HTML), so the shared
/// ``XMLTree`` gives its element tree. A page that is not well-formed fails to parse, which is itself a finding.
struct HTMLReader {
    typealias Element = XMLTree.Element

    private let tree: XMLTree

    init(data: Data) throws {
        do {
            tree = try XMLTree(data: data)
        } catch {
            throw XMLTree.Malformed(description: "report.html: \(error)")
        }
    }

    init(url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    /// Every element of the page, in document order.
    var elements: [Element] { tree.root?.descendants ?? [] }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    private func first(_ name: String, where predicate: (Element) -> Bool) -> Element? {
        elements.first { $0.name == name && predicate($0) }
    }

    /// The `<table data-table=id>`: its header ids and its body and footer rows, each cell's `data-value` and text.
    struct Table {
        /// The header row's text.
        var columns: [String]
        /// The columns' ids (`data-column`).
        var columnIDs: [String]
        var rows: [[(value: String, text: String)]]
        var footer: [[(value: String, text: String)]]
        var flaggedRows: [Int]
    }

    func table(_ id: String) -> Table? {
        guard let table = first("table", where: { $0["data-table"] == id }) else { return nil }
        let headers = table.all("th")
        func rows(_ section: String) -> [[(value: String, text: String)]] {
            (table.first(section)?.all("tr") ?? []).map { row in row.all("td").map { ($0["data-value"] ?? "", $0.text) }
            }
        }
        let body = table.first("tbody")?.all("tr") ?? []
        let flagged = body.enumerated().filter { $0.element.classes.contains("flagged") }.map(\.offset)
        return Table(
            columns: headers.map(\.text), columnIDs: headers.map { $0["data-column"] ?? "" }, rows: rows("tbody"),
            footer: rows("tfoot"), flaggedRows: flagged)
    }
}
