import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// report.html read back by a parser: the page is written as well-formed XML (polyglot HTML), so Foundation's
/// XML parser gives its element tree. A page that is not well-formed fails to parse, which is itself a finding.
final class HTMLReader: NSObject, XMLParserDelegate {
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        /// The text directly inside this element (not inside its children).
        var ownText = ""
        weak var parent: Element?

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        subscript(attribute: String) -> String? { attributes[attribute] }

        /// All the text inside, as a browser shows it (before CSS).
        var text: String { ownText + children.map(\.text).joined() }

        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }

        /// Every element below this one, depth first.
        var descendants: [Element] { children.flatMap { [$0] + $0.descendants } }

        func all(_ name: String) -> [Element] { descendants.filter { $0.name == name } }

        func first(_ name: String, where predicate: (Element) -> Bool = { _ in true }) -> Element? {
            descendants.first { $0.name == name && predicate($0) }
        }
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var root = Element(name: "#document", attributes: [:])
    private var stack: [Element] = []
    private var failure: Error?

    init(data: Data) throws {
        super.init()
        stack = [root]
        let parser = XMLParser(data: data)
        parser.delegate = self
        guard parser.parse() else {
            throw Malformed(
                description: "report.html does not parse: \(String(describing: parser.parserError ?? failure))")
        }
    }

    convenience init(url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    var elements: [Element] { root.descendants }

    func all(_ name: String) -> [Element] { root.all(name) }

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
        guard let table = root.first("table", where: { $0["data-table"] == id }) else { return nil }
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

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let element = Element(name: elementName, attributes: attributes)
        element.parent = stack.last
        stack.last?.children.append(element)
        stack.append(element)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.ownText += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        failure = parseError
    }
}
