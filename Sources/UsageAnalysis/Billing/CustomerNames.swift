/// Near-miss matching of customer names, for the warning about a rate card's customer that matches none.
package enum CustomerNames {
    /// The name among `names` closest to `name` when it is near: the same apart from case and spaces, or within
    /// a quarter of its length (at least 2) in edits of characters. `nil` when none is that near.
    package static func closest(to name: String, among names: [String]) -> String? {
        let target = fold(name)
        var best: (name: String, distance: Int)?
        for candidate in names where !candidate.isEmpty {
            let distance = editDistance(target, fold(candidate))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, target.count / 4) else { return nil }
        return best.name
    }

    private static func fold(_ text: String) -> [Character] {
        Array(text.lowercased().filter { !$0.isWhitespace })
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
