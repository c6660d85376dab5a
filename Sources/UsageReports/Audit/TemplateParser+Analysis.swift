import Yams

extension TemplateParser {
    /// A table with `analysis:`: only `id`, `title` and `analysis` apply, and the id must be the analysis's own
    /// (scripts find `key-audit.csv` by its name).
    func analysisTable(_ node: Node, id: String, title: String, entries: [String: Node]) throws -> TableSpec {
        let name = try text(node, "analysis")
        let known = AnalysisTable.allCases.map(\.rawValue).joined(separator: ", ")
        guard let analysis = AnalysisTable(rawValue: name) else {
            throw fail(node, "unknown analysis \"\(name)\" in table \"\(id)\"; expected \(known)")
        }
        guard id == analysis.rawValue else {
            throw fail(node, "a table with `analysis: \(name)` must have the id \(name), not \"\(id)\"")
        }
        for key in entries.keys.sorted() where !["id", "title", "analysis"].contains(key) {
            throw fail(entries[key], "`\(key)` does not apply to an analysis table (\"\(id)\": only id and title)")
        }
        var spec = TableSpec(id: id, title: title, columns: [])
        spec.analysis = analysis
        return spec
    }
}
