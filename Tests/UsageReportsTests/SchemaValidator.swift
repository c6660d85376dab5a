import Foundation

/// Checks a JSON value against the subset of JSON Schema that report.schema.json uses: `$ref` to `#/$defs/…`,
/// `type` (a name or a list), `enum`, `required`, `properties`, `additionalProperties: false`, `items`,
/// `minimum` and `pattern`. Any other keyword in the schema is reported, so the subset cannot silently grow.
struct SchemaValidator {
    let root: JSONValue
    private static let known: Set<String> = [
        "$schema", "$id", "$defs", "title", "description", "$ref", "type", "enum", "required", "properties",
        "additionalProperties", "items", "minimum", "pattern",
    ]

    /// The problems found, each with the path of the offending value; empty when the value conforms to `schema`
    /// (the whole schema when `nil`; `$ref`s resolve against the root either way).
    func validate(_ value: JSONValue, against schema: JSONValue? = nil) -> [String] {
        var problems: [String] = []
        check(value, against: schema ?? root, path: "$", problems: &problems)
        return problems
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, problems: inout [String]) {
        for key in schema.keys where !SchemaValidator.known.contains(key) {
            problems.append("schema keyword \(key) is not supported by the test validator")
        }
        if let reference = schema["$ref"]?.string {
            guard reference.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(reference.dropFirst(8))] else {
                problems.append("\(path): unresolvable $ref \(reference)")
                return
            }
            check(value, against: target, path: path, problems: &problems)
        }
        if let type = schema["type"] {
            let allowed = type.string.map { [$0] } ?? type.array.compactMap(\.string)
            guard allowed.contains(where: { matches(value, $0) }) else {
                problems.append("\(path): expected \(allowed.joined(separator: " or ")), found \(value)")
                return
            }
        }
        if let options = schema["enum"], !options.array.contains(value) {
            problems.append("\(path): \(value) is not one of \(options.array)")
        }
        if case let .number(number, _) = value, case let .number(minimum, _)? = schema["minimum"], number < minimum {
            problems.append("\(path): \(number) is below \(minimum)")
        }
        if case let .string(text) = value, let pattern = schema["pattern"]?.string {
            if text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \"\(text)\" does not match \(pattern)")
            }
        }
        if case .object = value {
            let keys = value.keys
            for case let .string(name) in schema["required"]?.array ?? [] where !keys.contains(name) {
                problems.append("\(path): missing \(name)")
            }
            let properties = schema["properties"]
            for key in keys {
                if let property = properties?[key] {
                    if let member = value[key] {
                        check(member, against: property, path: "\(path).\(key)", problems: &problems)
                    }
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(path): unexpected property \(key)")
                }
            }
        }
        if case let .array(items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                check(item, against: itemSchema, path: "\(path)[\(index)]", problems: &problems)
            }
        }
    }

    private func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            true
        case let ("integer", .number(_, isInteger)): isInteger
        default: false
        }
    }
}
