/// Text that came from the other side, made safe for one line of a terminal or a report.
enum ServiceText {
    /// Control characters (newlines, escapes that could drive a terminal) become spaces, and the text is cut at
    /// `limit` characters: a hostile or broken service cannot flood or forge the tool's output.
    static func clean(_ text: String, limit: Int = 300) -> String {
        var result = ""
        result.reserveCapacity(min(text.utf8.count, limit * 4))
        var count = 0
        for character in text {
            if count == limit {
                result += "…"
                break
            }
            let isControl = character.unicodeScalars.contains { scalar in
                scalar.properties.generalCategory == .control
                    || scalar.properties.generalCategory == .format
                        && (0x202A...0x202E).contains(scalar.value)
                    || (0x2066...0x2069).contains(scalar.value)
            }
            result.append(isControl ? " " : character)
            count += 1
        }
        return result
    }
}
