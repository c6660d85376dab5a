import Foundation
import UsageCore

/// A chart of the page as plain SVG shapes whose coordinates are computed here; the page template draws them
/// inside an `<svg viewBox>` (no script, no font, no image). Text of the data (a key's label) only ever appears in
/// `texts` and `title`, which the template escapes like every other value.
struct HTMLChart {
    struct Line {
        var x1, y1, x2, y2: String
        var kind: String
    }

    struct Rect {
        var x, y, width, height: String
        var kind: String
        var title: String
    }

    struct Label {
        var x, y: String
        var anchor: String
        var text: String
        var kind: String
    }

    struct Point {
        var cx, cy: String
        var kind: String
        var title: String
    }

    /// The chart's id (`calls-per-day`, `busiest-keys`, `utilisation`), a class the tests find it by.
    var id: String
    var title: String
    /// One sentence under the chart: what it shows.
    var caption: String
    var width: Int
    var height: Int
    init(id: String, title: String, caption: String, width: Int, height: Int) {
        self.id = id
        self.title = title
        self.caption = caption
        self.width = width
        self.height = height
        viewBox = "0 0 \(width) \(height)"
    }
    var lines: [Line] = []
    var rects: [Rect] = []
    var labels: [Label] = []
    var points: [Point] = []
    /// An SVG path (`M x y L x y …`) for a line series, or empty.
    var path: String = ""
    var hasPath = false
    var viewBox: String
}

extension HTMLChart {
    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Total calls of all keys per day: a line through the days with data and a point for every day of the range
    /// (a hollow one on the axis where no key has data for that day).
    static func callsPerDay(_ totals: [Int?], from: Day) -> HTMLChart {
        let width = 720.0, height = 240.0, left = 70.0, right = 16.0, top = 14.0, bottom = 30.0
        let peak = Double(max(totals.compactMap { $0 }.max() ?? 0, 1))
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ index: Int) -> Double {
            totals.count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(totals.count - 1)
        }
        func y(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / peak) }
        var chart = HTMLChart(
            id: "calls-per-day", title: "Calls per day, all keys",
            caption: "The total of every key's calls on each day of the period; a hollow point marks a day "
                + "with no data.", width: Int(width), height: Int(height))
        let base = top + plotHeight
        chart.lines = [
            Line(x1: number(left), y1: number(base), x2: number(width - right), y2: number(base), kind: "axis"),
            Line(x1: number(left), y1: number(top), x2: number(left), y2: number(base), kind: "axis"),
            Line(x1: number(left), y1: number(top), x2: number(width - right), y2: number(top), kind: "grid"),
            Line(
                x1: number(left), y1: number(top + plotHeight / 2), x2: number(width - right),
                y2: number(top + plotHeight / 2), kind: "grid"),
        ]
        chart.labels = [
            Label(
                x: number(left - 6), y: number(top + 4), anchor: "end", text: HTMLCellText.grouped(Int(peak)), kind: ""),
            Label(
                x: number(left - 6), y: number(top + plotHeight / 2 + 4), anchor: "end",
                text: HTMLCellText.grouped(Int(peak / 2)), kind: ""),
            Label(x: number(left - 6), y: number(base + 4), anchor: "end", text: "0", kind: ""),
            Label(x: number(left), y: number(height - 8), anchor: "start", text: from.isoText, kind: ""),
            Label(
                x: number(width - right), y: number(height - 8), anchor: "end",
                text: from.adding(days: max(totals.count - 1, 0)).isoText, kind: ""),
        ]
        var path = ""
        var pen = false
        for (index, value) in totals.enumerated() {
            let day = from.adding(days: index).isoText
            guard let value else {
                pen = false
                chart.points.append(
                    Point(cx: number(x(index)), cy: number(base), kind: "day none", title: "\(day): no data"))
                continue
            }
            path += "\(pen ? "L" : "M")\(number(x(index))) \(number(y(value))) "
            pen = true
            chart.points.append(
                Point(
                    cx: number(x(index)), cy: number(y(value)), kind: "day",
                    title: "\(day): \(HTMLCellText.grouped(value)) calls"))
        }
        chart.path = path.trimmingCharacters(in: .whitespaces)
        chart.hasPath = !chart.path.isEmpty
        return chart
    }

    /// One horizontal bar per item, in the order given: the item's name left of its bar, its value right of it;
    /// `marks` draws dashed lines at these values (80% and 100% of a limit).
    static func bars(
        id: String, title: String, caption: String, items: [(name: String, value: Double, text: String, flagged: Bool)],
        scaleTo maximum: Double? = nil, marks: [(value: Double, text: String)] = []
    ) -> HTMLChart {
        let width = 720.0, row = 24.0, left = 230.0, right = 110.0, top = marks.isEmpty ? 4.0 : 18.0
        let height = top + row * Double(max(items.count, 1)) + 4
        let peak = max(maximum ?? items.map(\.value).max() ?? 1, 1e-9)
        let plotWidth = width - left - right
        var chart = HTMLChart(id: id, title: title, caption: caption, width: Int(width), height: Int(height))
        for (index, item) in items.enumerated() {
            let y = top + row * Double(index)
            let length = plotWidth * min(max(item.value / peak, 0), 1)
            // Names come cut to fit and still unique (``KeyNames``).
            let name = item.name
            chart.labels.append(Label(x: number(left - 8), y: number(y + 16), anchor: "end", text: name, kind: "name"))
            chart.rects.append(
                Rect(
                    x: number(left), y: number(y + 4), width: number(max(length, 1)), height: number(row - 8),
                    kind: item.flagged ? "bar flagged" : "bar", title: "\(item.name): \(item.text)"))
            chart.labels.append(
                Label(x: number(left + length + 6), y: number(y + 16), anchor: "start", text: item.text, kind: "value"))
        }
        for mark in marks {
            let x = number(left + plotWidth * min(mark.value / peak, 1))
            chart.lines.append(Line(x1: x, y1: number(top - 2), x2: x, y2: number(height), kind: "mark"))
            chart.labels.append(Label(x: x, y: number(top - 6), anchor: "middle", text: mark.text, kind: "mark"))
        }
        return chart
    }
}
