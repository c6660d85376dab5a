import Plot
import UsageCore

/// The report page's charts as inline SVG elements (a `viewBox`, plain shapes, no script): calls per day with
/// one point per day, the busiest keys, and utilisation per key when the audit's table is there.
enum HTMLCharts {
    typealias BodyNode = Node<HTML.BodyContext>

    /// An element whose attributes are numbers or this tool's own words, never report data.
    static func element(_ name: String, _ attributes: KeyValuePairs<String, String>, _ children: [BodyNode] = [])
        -> BodyNode
    {
        .element(named: name, nodes: attributes.map { .attribute(named: $0.key, value: $0.value) } + children)
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return value < 0 ? "-" + text : text
    }

    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    /// Total calls of all keys per day: a line through the days that have data and a point on every day (a
    /// hollow one on the axis where no key has data).
    static func callsPerDay(_ totals: [Int?], from: Day) -> BodyNode {
        let width = 720.0, height = 240.0, left = 64.0, right = 16.0, top = 12.0, bottom = 30.0
        let peak = Double(max(totals.compactMap { $0 }.max() ?? 0, 1))
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ index: Int) -> Double {
            totals.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(totals.count - 1)
        }
        func y(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / peak) }
        var path = ""
        var pen = false
        for (index, value) in totals.enumerated() {
            guard let value else {
                pen = false
                continue
            }
            path += "\(pen ? "L" : "M")\(number(x(index))) \(number(y(value))) "
            pen = true
        }
        var nodes: [BodyNode] = [
            element("line", ["class": "axis", "x1": number(left), "y1": number(top + plotHeight),
                "x2": number(width - right), "y2": number(top + plotHeight)]),
            element("line", ["class": "axis", "x1": number(left), "y1": number(top), "x2": number(left),
                "y2": number(top + plotHeight)]),
            label(grouped(Int(peak)), x: left - 6, y: top + 4, anchor: "end"),
            label("0", x: left - 6, y: top + plotHeight + 4, anchor: "end"),
            label(from.isoText, x: left, y: height - 8, anchor: "start"),
            label(from.adding(days: totals.count - 1).isoText, x: width - right, y: height - 8, anchor: "end"),
        ]
        if !path.isEmpty { nodes.append(element("path", ["class": "series", "d": path])) }
        for (index, value) in totals.enumerated() {
            let point = element(
                "circle",
                ["class": value == nil ? "day none" : "day", "cx": number(x(index)),
                    "cy": number(value.map(y) ?? top + plotHeight), "r": "2.5"],
                [element("title", [:], [HTMLText.node("\(from.adding(days: index).isoText): "
                    + (value.map(grouped) ?? "no data"))])])
            nodes.append(point)
        }
        return svg(width: width, height: height, title: "Calls per day, all keys", nodes)
    }

    /// Horizontal bars, one per item, longest first as given: the item's name left, its value right.
    static func bars(_ items: [(name: String, value: Double, text: String, flagged: Bool)], title: String,
        scaleTo maximum: Double? = nil, mark: Double? = nil) -> BodyNode
    {
        let width = 720.0, row = 26.0, left = 220.0, right = 96.0
        let height = row * Double(items.count) + 8
        let peak = max(maximum ?? items.map(\.value).max() ?? 1, 1e-9)
        let plotWidth = width - left - right
        var nodes: [BodyNode] = []
        for (index, item) in items.enumerated() {
            let y = 4 + row * Double(index)
            let length = plotWidth * min(max(item.value / peak, 0), 1)
            let name = item.name.count > 30 ? String(item.name.prefix(29)) + "…" : item.name
            nodes.append(label(name, x: left - 8, y: y + 17, anchor: "end"))
            nodes.append(element("rect", ["class": item.flagged ? "bar flagged" : "bar", "x": number(left),
                "y": number(y + 3), "width": number(max(length, 1)), "height": number(row - 8)]))
            nodes.append(label(item.text, x: left + length + 6, y: y + 17, anchor: "start"))
        }
        if let mark {
            let x = left + plotWidth * min(mark / peak, 1)
            nodes.append(element("line", ["class": "mark", "x1": number(x), "y1": "0", "x2": number(x),
                "y2": number(height)]))
        }
        return svg(width: width, height: height, title: title, nodes)
    }

    static func label(_ text: String, x: Double, y: Double, anchor: String) -> BodyNode {
        element("text", ["x": number(x), "y": number(y), "text-anchor": anchor], [HTMLText.node(text)])
    }

    private static func svg(width: Double, height: Double, title: String, _ nodes: [BodyNode]) -> BodyNode {
        element(
            "svg",
            ["viewBox": "0 0 \(Int(width)) \(Int(height))",
                "role": "img", "class": "chart"],
            [element("title", [:], [HTMLText.node(title)])] + nodes)
    }
}
