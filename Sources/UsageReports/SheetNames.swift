/// The worksheet names used so far, so that overflow sheets get free, valid names.
struct SheetNames {
    private var used: Set<String> = []

    /// `base` for the first part, `base (2)`, `base (3)`… after, cut to Excel's 31 characters.
    mutating func take(_ base: String, part: Int) throws -> String {
        let suffix = part == 1 ? "" : " (\(part))"
        var stem = base
        while stem.unicodeScalars.count + suffix.count > 31 { stem.removeLast() }
        let name = stem + suffix
        guard used.insert(name.lowercased()).inserted else {
            throw ReportError.tooLarge("two worksheets would be named \"\(name)\": rename a table of the template")
        }
        return name
    }
}
