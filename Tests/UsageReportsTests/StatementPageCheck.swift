import Foundation
import TTUsageTestSupport
import Testing

/// statement.html read back with an XML parser (the page is well-formed XML), and what a mail client needs of
/// it checked: no script, no SVG, nothing fetched from anywhere.
struct StatementPageCheck {
    let tree: XMLTree
    let data: Data

    init(data: Data) throws {
        self.data = data
        tree = try XMLTree(data: data)
    }

    var elements: [XMLTree.Element] { tree.root?.descendants ?? [] }

    /// All the page's text.
    var text: String { tree.root?.text ?? "" }

    /// Elements mail clients drop or that fetch something.
    static let forbiddenElements: Set<String> = [
        "script", "svg", "img", "image", "link", "iframe", "object", "embed", "video", "audio", "source", "form",
        "input", "base", "frame", "frameset", "applet", "picture", "use",
    ]

    /// Fails the test for any element, attribute or text that runs code or fetches.
    func expectMailSafe(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let names = Set(elements.map { $0.name.lowercased() })
        #expect(names.isDisjoint(with: Self.forbiddenElements), "\(names)", sourceLocation: sourceLocation)
        for element in elements {
            for (name, value) in element.attributes {
                let attribute = name.lowercased()
                #expect(
                    !["src", "href", "srcset", "background", "action", "poster", "xlink:href"].contains(attribute),
                    "\(element.name) \(name)", sourceLocation: sourceLocation)
                #expect(!attribute.hasPrefix("on"), "\(element.name) \(name)", sourceLocation: sourceLocation)
                let lower = value.lowercased()
                for reference in ["http:", "https:", "url(", "javascript:", "data:", "cid:", "@import", "//"] {
                    #expect(!lower.contains(reference), "\(name)=\(value)", sourceLocation: sourceLocation)
                }
            }
        }
        let style = elements.filter { $0.name == "style" }.map(\.text).joined().lowercased()
        for reference in ["http:", "https:", "url(", "@import", "@font-face"] {
            #expect(!style.contains(reference), sourceLocation: sourceLocation)
        }
        let raw = String(decoding: data, as: UTF8.self).lowercased()
        #expect(!raw.contains("<script"), sourceLocation: sourceLocation)
        #expect(!raw.contains("<svg"), sourceLocation: sourceLocation)
    }

    /// The `data-table` table: its header texts and its body rows' cell texts.
    func table(_ id: String) -> (header: [String], rows: [[String]])? {
        guard let table = elements.first(where: { $0.name == "table" && $0["data-table"] == id }) else { return nil }
        let header = table.all("th").map(\.text)
        let rows = (table.first("tbody")?.all("tr") ?? []).map { $0.all("td").map(\.text) }
        return (header, rows)
    }

    /// The chart's day cells (`data-date`).
    var bars: [XMLTree.Element] {
        guard let chart = elements.first(where: { $0.name == "table" && $0["data-chart"] == "calls-per-day" }) else {
            return []
        }
        return chart.all("td").filter { $0["data-date"] != nil }
    }

    /// The warnings at the top.
    var warnings: [String] { elements.filter { $0["data-warning"] != nil }.map(\.text) }
}
