import Yams

/// A problem of a YAML document, placed on its line: what the readers of templates, rate cards and profiles turn
/// into their own errors (a broken template, a broken rate card, a bad configuration file), each naming its file.
public struct YAMLProblem: Error, Sendable, Equatable {
    /// The document's line (from 1), `nil` when nothing places it.
    public var line: Int?
    /// One line for the user.
    public var problem: String

    public init(line: Int?, problem: String) {
        self.line = line
        self.problem = problem
    }

    /// A problem of `node` (line 1 when there is no node, as for an empty document).
    public init(_ node: Node?, _ problem: String) {
        self.init(line: node?.mark?.line ?? 1, problem: problem)
    }
}

/// The YAML reading the template, rate card and profile readers share: composing a document with every syntax
/// error placed on its line, scalars read as text, and mappings checked against their known keys.
public enum YAMLReading {
    /// The document's root node, `nil` when it is empty; a leading byte order mark is skipped.
    public static func compose(_ document: String) throws(YAMLProblem) -> Node? {
        let yaml = document.hasPrefix("\u{FEFF}") ? String(document.dropFirst()) : document
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw problem(error, text: yaml)
        } catch {
            throw YAMLProblem(line: nil, problem: "not valid YAML: \(error)")
        }
    }

    /// A scalar's text. `what` names the value in the problem ("`title`", "currency").
    public static func text(_ node: Node, _ what: String) throws(YAMLProblem) -> String {
        guard case let .scalar(scalar) = node else { throw YAMLProblem(node, "\(what) must be text") }
        guard !(scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)) else {
            throw YAMLProblem(node, "\(what) needs a value")
        }
        return scalar.string
    }

    /// The entries of a mapping by key, after checking that every key is text and known (an unknown key's problem
    /// suggests the closest known one).
    public static func entries(of mapping: Node.Mapping, allowed: [String], in place: String) throws(YAMLProblem)
        -> [String: Node]
    {
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case let .scalar(scalar) = keyNode else {
                throw YAMLProblem(keyNode, "a key of \(place) must be text")
            }
            let key = scalar.string
            guard allowed.contains(key) else {
                throw YAMLProblem(
                    keyNode,
                    "unknown key \"\(key)\" in \(place)\(Suggestion.didYouMean(key, allowed)); "
                        + "expected \(allowed.joined(separator: ", "))")
            }
            result[key] = value
        }
        return result
    }

    /// A syntax error of Yams as a problem on its line.
    static func problem(_ error: YamlError, text: String) -> YAMLProblem {
        func place(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            return " (\(context.text) at line \(context.mark.line))"
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            return YAMLProblem(line: mark.line, problem: "not valid YAML: \(problem)\(place(context))")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return YAMLProblem(line: context.mark.line, problem: "key \(keys) given twice")
        case let .reader(problem, offset, _, _):
            let line = offset.map { offset in text.utf8.prefix(offset).reduce(1) { $0 + ($1 == 10 ? 1 : 0) } }
            return YAMLProblem(line: line, problem: "not valid YAML: \(problem)")
        default:
            return YAMLProblem(line: nil, problem: "not valid YAML: \(error)")
        }
    }
}
