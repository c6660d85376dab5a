import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML document (an XLSX package part, report.html): elements with attributes, children and text,
/// indexed by name. Built on Foundation's `XMLParser`; the one XML reader the test targets share.
public final class XMLTree: NSObject, XMLParserDelegate {
    /// The document does not parse as XML.
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    public final class Element {
        public let name: String
        public let attributes: [String: String]
        public internal(set) var children: [Element] = []
        /// The text directly inside the element, not in its children.
        public internal(set) var ownText = ""

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        public subscript(attribute: String) -> String? { attributes[attribute] }

        /// The text of the element and its descendants, in document order.
        public var text: String { ownText + children.map(\.text).joined() }

        /// The element and every element below it, in document order.
        public var descendants: [Element] { [self] + children.flatMap(\.descendants) }
    }

    private var stack: [Element] = []
    private var index: [String: [Element]] = [:]
    private var failure: Error?
    /// The document element.
    public private(set) var root: Element?

    /// Parses `data`; throws ``Malformed`` when it is not well-formed XML.
    public init(data: Data) throws {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        guard parser.parse() else {
            throw Malformed(description: "XML does not parse: \(String(describing: parser.parserError ?? failure))")
        }
    }

    /// Every element with this (qualified) name, in document order.
    public func all(_ name: String) -> [Element] { index[name] ?? [] }

    /// How often each element name occurs.
    public var counts: [String: Int] { index.mapValues(\.count) }

    public func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let element = Element(name: elementName, attributes: attributes)
        stack.last?.children.append(element)
        if root == nil { root = element }
        stack.append(element)
        index[elementName, default: []].append(element)
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.ownText += string
    }

    public func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        stack.removeLast()
    }

    public func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        failure = parseError
    }
}

extension XMLTree.Element {
    /// The words of the `class` attribute.
    public var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }

    /// Every element below this one (not itself) with this name, in document order.
    public func all(_ name: String) -> [XMLTree.Element] {
        children.flatMap(\.descendants).filter { $0.name == name }
    }

    /// The first element below this one with this name that satisfies `predicate`.
    public func first(_ name: String, where predicate: (XMLTree.Element) -> Bool = { _ in true }) -> XMLTree.Element? {
        children.lazy.flatMap(\.descendants).first { $0.name == name && predicate($0) }
    }
}
