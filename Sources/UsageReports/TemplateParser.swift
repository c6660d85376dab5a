import Foundation
import UsageCore
import Yams

/// Reads a template's YAML into a `ReportTemplate`, rejecting anything it does not know (a misspelt key must not
/// be silently ignored) and naming the line of every problem.
struct TemplateParser {
    /// The file (or description) named in errors.
    let source: String

    private static let templateKeys = ["name", "description", "near-quota", "tables"]
    private static let tableKeys = [
        "id", "title", "layout", "group-by", "across", "value", "columns", "sort", "subtotal", "total", "threshold",
        "highlight", "where", "analysis",
    ]
    private static let columnKeys = ["field", "header"]
    private static let whereKeys = ["status", "dormant", "at-risk"]
    private static let groupNames = ["key", "label", "day", "iso-week", "month"]
    /// Sheet names the workbook uses whatever the template.
    private static let reservedTitles = ["summary", "daily", "charts", "about", "history"]
    /// CSV and JSON file stems the report uses whatever the template.
    private static let reservedIDs = ["daily", "summary", "report", "alerts"]

    func parse(_ document: String, defaultName: String) throws -> ReportTemplate {
        let root = try reading { () throws(YAMLProblem) in try YAMLReading.compose(document) }
        guard let root, case let .mapping(mapping) = root else {
            throw fail(root, "a template is a mapping with a `tables:` list (and optional name, description)")
        }
        let entries = try entries(of: mapping, allowed: TemplateParser.templateKeys, in: "the template")

        var template = ReportTemplate(name: defaultName, purpose: "", source: source, nearQuota: 0.9, tables: [])
        if let node = entries["name"] { template.name = try text(node, "name") }
        if let node = entries["description"] { template.purpose = try text(node, "description") }
        if let node = entries["near-quota"] { template.nearQuota = try fraction(node, "near-quota") }
        guard let tablesNode = entries["tables"] else { throw fail(root, "missing `tables:` (a list, may be [])") }
        guard case let .sequence(tableNodes) = tablesNode else {
            throw fail(tablesNode, "`tables` must be a list of tables")
        }
        var ids: Set<String> = []
        var titles: Set<String> = []
        for node in tableNodes {
            let table = try self.table(node)
            guard ids.insert(table.id).inserted else { throw fail(node, "a second table with id \"\(table.id)\"") }
            guard titles.insert(table.title.lowercased()).inserted else {
                throw fail(node, "a second table titled \"\(table.title)\" (sheet names must differ)")
            }
            template.tables.append(table)
        }
        return template
    }

    // MARK: - Tables

    private func table(_ node: Node) throws -> TableSpec {
        guard case let .mapping(mapping) = node else {
            throw fail(node, "a table must be a mapping with id, columns, …")
        }
        guard let idNode = mapping["id"] else { throw fail(node, "a table needs an `id`") }
        let id = try text(idNode, "id")
        try checkID(id, idNode)
        let entries = try entries(of: mapping, allowed: TemplateParser.tableKeys, in: "table \"\(id)\"")
        let title = try entries["title"].map { try text($0, "title") } ?? id
        try checkTitle(title, entries["title"] ?? idNode)

        if let node = entries["analysis"] { return try analysisTable(node, id: id, title: title, entries: entries) }
        var spec = TableSpec(id: id, title: title, columns: [])
        if let node = entries["layout"] {
            let name = try text(node, "layout")
            guard let layout = TableSpec.Layout(rawValue: name) else {
                throw fail(
                    node, "unknown layout \"\(name)\" in table \"\(id)\"; expected list, matrix or month-over-month")
            }
            spec.layout = layout
        }
        if spec.layout == .monthOverMonth {
            // Its columns are fixed (customer-months.csv): nothing else to say.
            if let extra = entries.keys.sorted().first(where: { !["id", "title", "layout"].contains($0) }) {
                throw fail(entries[extra], "`\(extra)` does not apply to a month-over-month table (\"\(id)\")")
            }
            return spec
        }
        if let node = entries["group-by"] { try groupBy(node, into: &spec) }

        if spec.layout == .matrix {
            if let node = entries["across"] {
                spec.across = try period(node, "across")
            } else {
                spec.across = .day
            }
            if let node = entries["value"] {
                let field = try field(node, in: id)
                guard !field.isDimension else {
                    throw fail(node, "`value` of table \"\(id)\" must be a measure such as used, not \(field.rawValue)")
                }
                spec.value = field
            } else {
                spec.value = .used
            }
        } else {
            for key in ["across", "value"] {
                if let node = entries[key] { throw fail(node, "`\(key)` needs `layout: matrix` (table \"\(id)\")") }
            }
        }

        guard let columnsNode = entries["columns"] else { throw fail(node, "table \"\(id)\" needs `columns`") }
        guard case let .sequence(columnNodes) = columnsNode, spec.layout == .matrix || columnNodes.count > 0 else {
            throw fail(columnsNode, "`columns` of table \"\(id)\" must be a non-empty list")
        }
        for columnNode in columnNodes { spec.columns.append(try column(columnNode, spec: spec)) }

        if let node = entries["sort"] { spec.sort = try sort(node, spec: spec) }
        if let node = entries["subtotal"] {
            let field = try field(node, in: id)
            guard field.isDimension, spec.columns.contains(where: { $0.field == field }) else {
                throw fail(
                    node,
                    "`subtotal` of table \"\(id)\" must name one of its dimension columns "
                        + "(label, app_key, user_id, month, …), not \(field.rawValue)")
            }
            try requireAvailable(field, spec, node)
            spec.subtotal = field
        }
        if let node = entries["total"] { spec.total = try bool(node, "total") }
        if let node = entries["threshold"] { spec.threshold = try fraction(node, "threshold") }
        if let node = entries["highlight"] { spec.highlight = try fraction(node, "highlight") }
        if let node = entries["where"] { spec.filter = try filter(node, spec: spec) }
        return spec
    }

    private func groupBy(_ node: Node, into spec: inout TableSpec) throws {
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case let .sequence(sequence): items = Array(sequence)
        default: throw fail(node, "`group-by` must be a name or a list of names (\(names(TemplateParser.groupNames)))")
        }
        for item in items {
            let name = try text(item, "group-by")
            switch name {
            case "key", "label":
                guard spec.rowGroup == nil else { throw fail(item, "`group-by` takes one of key and label, not both") }
                spec.rowGroup = name == "key" ? .key : .label
            default:
                guard let period = TableSpec.Period(rawValue: name) else {
                    throw fail(
                        item,
                        "unknown grouping \"\(name)\"\(Suggestion.didYouMean(name, TemplateParser.groupNames)); "
                            + "expected \(names(TemplateParser.groupNames))")
                }
                guard spec.layout == .list else {
                    throw fail(item, "a matrix groups its rows by key or label; its periods go in `across`")
                }
                guard spec.period == nil else {
                    throw fail(item, "`group-by` takes one period (day, iso-week or month)")
                }
                spec.period = period
            }
        }
    }

    private func column(_ node: Node, spec: TableSpec) throws -> TableSpec.Column {
        let field: ReportField
        var header: String?
        switch node {
        case .scalar:
            field = try self.field(node, in: spec.id)
        case let .mapping(mapping):
            let entries = try entries(of: mapping, allowed: TemplateParser.columnKeys, in: "a column of \"\(spec.id)\"")
            guard let fieldNode = entries["field"] else { throw fail(node, "a column mapping needs `field`") }
            field = try self.field(fieldNode, in: spec.id)
            header = try entries["header"].map { try text($0, "header") }
        default:
            throw fail(node, "a column is a field name or a mapping with `field` and `header`")
        }
        try requireAvailable(field, spec, node)
        return TableSpec.Column(field: field, header: header ?? field.rawValue)
    }

    private func sort(_ node: Node, spec: TableSpec) throws -> [TableSpec.SortKey] {
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case let .sequence(sequence): items = Array(sequence)
        default: throw fail(node, "`sort` must be a list such as [label, \"used desc\"]")
        }
        return try items.map { item in
            let words = try text(item, "sort").split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first, words.count <= 2 else {
                throw fail(item, "a sort key is a field name, optionally followed by asc or desc")
            }
            guard let field = ReportField(rawValue: String(first)) else {
                throw fail(item, unknownField(String(first), in: spec.id))
            }
            var descending = false
            if words.count == 2 {
                switch words[1] {
                case "asc": descending = false
                case "desc": descending = true
                default: throw fail(item, "sort order \"\(words[1])\" is neither asc nor desc")
                }
            }
            try requireAvailable(field, spec, item)
            return TableSpec.SortKey(field: field, descending: descending)
        }
    }

    private func filter(_ node: Node, spec: TableSpec) throws -> TableSpec.Filter {
        guard case let .mapping(mapping) = node else {
            throw fail(node, "`where` must be a mapping (status, dormant, at-risk)")
        }
        let entries = try entries(of: mapping, allowed: TemplateParser.whereKeys, in: "`where` of \"\(spec.id)\"")
        var filter = TableSpec.Filter()
        if let statusNode = entries["status"] {
            guard spec.rowGroup == .key else { throw fail(statusNode, "`where: status` needs `group-by: key`") }
            let items: [Node]
            if case let .sequence(sequence) = statusNode { items = Array(sequence) } else { items = [statusNode] }
            var statuses: Set<KeyStatus> = []
            for item in items {
                let name = try text(item, "status")
                guard let status = KeyStatus(rawValue: name) else {
                    throw fail(item, "unknown key status \"\(name)\"; expected complete, incomplete or failed")
                }
                statuses.insert(status)
            }
            filter.statuses = statuses
        }
        if let node = entries["dormant"] { filter.dormant = try bool(node, "dormant") }
        if let node = entries["at-risk"] { filter.atRisk = try bool(node, "at-risk") }
        return filter
    }

    // MARK: - Checks

    private func checkID(_ id: String, _ node: Node) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard let first = id.first, first.isLetter || first.isNumber, id.count <= 64, id.allSatisfy(allowed.contains)
        else {
            throw fail(
                node,
                "table id \"\(id)\" must be 1 to 64 lowercase letters, digits, - or _ "
                    + "(it names the CSV file)")
        }
        guard !TemplateParser.reservedIDs.contains(id) else {
            throw fail(node, "table id \"\(id)\" is taken by \(id).\(id == "report" ? "json" : "csv")")
        }
    }

    private func checkTitle(_ title: String, _ node: Node) throws {
        let forbidden = Set("[]:*?/\\")
        guard !title.isEmpty, title.unicodeScalars.count <= 31 else {
            throw fail(node, "title \"\(title)\" must be 1 to 31 characters (it names a worksheet)")
        }
        if let bad = title.first(where: forbidden.contains) {
            throw fail(node, "title \"\(title)\" holds \"\(bad)\", which a worksheet name cannot")
        }
        guard !title.hasPrefix("'"), !title.hasSuffix("'") else {
            throw fail(node, "title \"\(title)\" cannot begin or end with an apostrophe")
        }
        // Fixed sheets, and the names they take when they go on past the row limit ("Daily (2)").
        let lower = title.lowercased()
        let isReserved = TemplateParser.reservedTitles.contains {
            lower == $0 || (lower.hasPrefix("\($0) (") && lower.hasSuffix(")"))
        }
        guard !isReserved else {
            throw fail(node, "title \"\(title)\" is the name of a sheet every workbook has")
        }
    }

    private func requireAvailable(_ field: ReportField, _ spec: TableSpec, _ node: Node) throws {
        let grouping = [spec.rowGroup?.rawValue, spec.period?.rawValue].compactMap { $0 }
        let current = grouping.isEmpty ? "has no group-by" : "groups by \(grouping.joined(separator: ", "))"
        let problem: String?
        switch field.requirement {
        case nil: problem = nil
        case .key: problem = spec.rowGroup == .key ? nil : "needs group-by key"
        case .keyOrLabel: problem = spec.rowGroup != nil ? nil : "needs group-by key or label"
        case let .period(period):
            problem = spec.layout == .list && spec.period == period ? nil : "needs group-by \(period.rawValue)"
        case .anyPeriod:
            problem = spec.layout == .list && spec.period != nil ? nil : "needs group-by day, iso-week or month"
        }
        if let problem {
            throw fail(node, "\(field.rawValue) \(problem) (table \"\(spec.id)\" \(current))")
        }
    }

    // MARK: - Scalars

    private func field(_ node: Node, in table: String) throws -> ReportField {
        let name = try text(node, "field")
        guard let field = ReportField(rawValue: name) else { throw fail(node, unknownField(name, in: table)) }
        return field
    }

    private func unknownField(_ name: String, in table: String) -> String {
        let all = ReportField.allCases.map(\.rawValue)
        return
            "unknown field \"\(name)\" in table \"\(table)\"\(Suggestion.didYouMean(name, all)); fields are \(names(all))"
    }

    private func period(_ node: Node, _ what: String) throws -> TableSpec.Period {
        let name = try text(node, what)
        guard let period = TableSpec.Period(rawValue: name) else {
            throw fail(node, "`\(what)` must be day, iso-week or month, not \"\(name)\"")
        }
        return period
    }

    func text(_ node: Node, _ what: String) throws -> String {
        try reading { () throws(YAMLProblem) in try YAMLReading.text(node, "`\(what)`") }
    }

    private func bool(_ node: Node, _ what: String) throws -> Bool {
        let value = try text(node, what)
        switch value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(node, "`\(what)` must be true or false, not \"\(value)\"")
        }
    }

    private func fraction(_ node: Node, _ what: String) throws -> Double {
        let value = try text(node, what)
        var number: Double?
        if value.hasSuffix("%") {
            number = Double(value.dropLast()).map { $0 / 100 }
        } else {
            number = Double(value)
        }
        guard let number, number > 0, number <= 1 else {
            throw fail(
                node, "`\(what)` must be a fraction above 0 and at most 1 (such as 0.8 or 80%), not \"\(value)\"")
        }
        return number
    }

    // MARK: - Mappings and errors

    /// The entries of a mapping by key, after checking that every key is known.
    private func entries(of mapping: Node.Mapping, allowed: [String], in place: String) throws -> [String: Node] {
        try reading { () throws(YAMLProblem) in try YAMLReading.entries(of: mapping, allowed: allowed, in: place) }
    }

    func fail(_ node: Node?, _ problem: String) -> ReportError {
        ReportError.brokenTemplate(source: source, line: node?.mark?.line ?? 1, problem: problem)
    }

    /// `body`'s YAML problem as a broken template.
    private func reading<T>(_ body: () throws(YAMLProblem) -> T) throws(ReportError) -> T {
        do {
            return try body()
        } catch {
            throw ReportError.brokenTemplate(source: source, line: error.line, problem: error.problem)
        }
    }

    private func names(_ list: [String]) -> String { list.joined(separator: ", ") }
}
