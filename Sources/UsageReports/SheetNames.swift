import UsageCore
import XLSXKit

/// The worksheet and table names used so far, so that overflow sheets and their tables get free, valid names.
struct SheetNames {
    private var used: Set<String> = []
    /// Table names share one namespace with the workbook's defined names.
    private var tables: Set<String> = ["reportfrom", "reportto"]

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

    /// The Excel table name for part `part` of the table `id`: `id`, then `id_2`, …, made valid and unique.
    mutating func takeTable(_ id: String, part: Int) throws -> String {
        let base = XLSXTable.validName(part == 1 ? id : "\(id)_\(part)")
        var name = base
        var count = 1
        while !tables.insert(name.lowercased()).inserted {
            count += 1
            name = "\(base)_\(count)"
        }
        return name
    }
}
