import Foundation
import UsageAnalysis

/// The folder names of the customers' packs: a slug of each customer's name, the same from run to run.
///
/// A slug holds lowercase ASCII letters and digits; every other run of characters becomes one `-` (accents are
/// dropped first, so `Café` is `cafe`), with none at either end, and at most 60 characters. Who gets a slug
/// that several names share does not depend on the manifest's order: the names are taken in scalar order, the
/// first gets the slug, the next `-2`, `-3`, …; a name with nothing left is `customer-1`, `customer-2`, ….
enum StatementSlug {
    static let maximumLength = 60

    /// The slug of one name, or `""` when nothing is left.
    static func slug(_ name: String) -> String {
        var result = ""
        var pendingDash = false
        for scalar in name.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            let lower = ("A"..."Z").contains(scalar) ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar
            if ("a"..."z").contains(lower) || ("0"..."9").contains(lower) {
                let dash = pendingDash && !result.isEmpty
                if result.utf8.count + (dash ? 2 : 1) > maximumLength { break }
                if dash { result.append("-") }
                pendingDash = false
                result.unicodeScalars.append(lower)
            } else {
                pendingDash = true
            }
        }
        return result
    }

    /// A folder name for each of `names` (which are distinct), in the order given.
    static func folders(for names: [String]) -> [String] {
        let order = names.indices.sorted { CustomerName.scalarOrder(names[$0], names[$1]) }
        let bases = names.map(slug)
        var result = [String](repeating: "", count: names.count)
        var taken: Set<String> = []
        var waiting: [Int] = []
        for index in order where !bases[index].isEmpty {
            if taken.insert(bases[index]).inserted { result[index] = bases[index] } else { waiting.append(index) }
        }
        for index in waiting {
            var number = 2
            while taken.contains("\(bases[index])-\(number)") { number += 1 }
            result[index] = "\(bases[index])-\(number)"
            taken.insert(result[index])
        }
        var number = 1
        for index in order where bases[index].isEmpty {
            while taken.contains("customer-\(number)") { number += 1 }
            result[index] = "customer-\(number)"
            taken.insert(result[index])
        }
        return result
    }
}
