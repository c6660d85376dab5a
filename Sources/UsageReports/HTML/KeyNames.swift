import UsageCore

/// The names the page gives keys: `label (first 8 characters of the key)`, or the key itself without a label;
/// where two keys would read the same, as much more of the key as tells them apart (its last characters, which is
/// where keys made in a row differ, `3f2b8c1e…1a01`; the user id when the key itself is the same). No two entries
/// of a chart or a list carry the same name.
struct KeyNames {
    /// The name of each key, in the order given.
    let names: [String]
    /// The name of each key in at most ``chartLength`` characters (a chart's label column), still unique.
    let short: [String]

    /// The most characters of a name beside a chart's bar.
    static let chartLength = 28

    init(_ keys: [KeyEntry]) {
        names = Self.unique(keys) { key, length in Self.full(key, length) }
        short = Self.unique(keys) { key, length in Self.clipped(key, length) }
    }

    /// `label (3f2b8c1e)`, with `length` characters of the key.
    static func full(_ key: KeyEntry, _ length: Int) -> String {
        let label = HTMLCellText.clean(key.label)
        let appKey = HTMLCellText.clean(key.appKey)
        guard !label.isEmpty else {
            return length > appKey.count ? "\(appKey), user \(HTMLCellText.clean(key.userId))" : appKey
        }
        return "\(label) (\(part(of: key, length)))"
    }

    /// The full name cut to ``chartLength``: the label is shortened, the part of the key that tells keys apart
    /// is kept; a key without a label is shown by its part (`4c6e8a0b…0e61`) when it is too long to fit whole.
    static func clipped(_ key: KeyEntry, _ length: Int) -> String {
        let appKey = HTMLCellText.clean(key.appKey)
        let label = HTMLCellText.clean(key.label)
        if label.isEmpty {
            guard appKey.count > chartLength else { return length > appKey.count ? part(of: key, length) : appKey }
            return part(of: key, max(length, 9))
        }
        let keyPart = part(of: key, length)
        let name = "\(label) (\(keyPart))"
        guard name.count > chartLength else { return name }
        let room = max(chartLength - keyPart.count - 4, 4)
        guard label.count > room else { return name }
        return "\(label.prefix(room))… (\(keyPart))"
    }

    /// The part of the key that a name shows at `length`: its first 8 characters; past 8, those and as many of
    /// its last characters as tell it apart (`3f2b8c1e…1a01`: keys often differ only at the end); the whole key
    /// once that is no shorter; past the key's length, the key and its user id.
    private static func part(of key: KeyEntry, _ length: Int) -> String {
        let appKey = HTMLCellText.clean(key.appKey)
        if length > appKey.count { return "\(appKey), user \(HTMLCellText.clean(key.userId))" }
        guard length > 8 else { return String(appKey.prefix(8)) }
        let tail = length - 8 + 3
        guard 8 + 1 + tail < appKey.count else { return appKey }
        return "\(appKey.prefix(8))…\(appKey.suffix(tail))"
    }

    /// Names from `render(key, length)`, starting at 8 characters of the key and lengthening the key part of
    /// every name that two keys share until none does (or no longer key part helps).
    static func unique(_ keys: [KeyEntry], _ render: (KeyEntry, Int) -> String) -> [String] {
        var lengths = [Int](repeating: 8, count: keys.count)
        var names = keys.indices.map { render(keys[$0], lengths[$0]) }
        for _ in 0..<64 {
            let groups = Dictionary(grouping: keys.indices) { names[$0] }.values.filter { $0.count > 1 }
            var changed = false
            for group in groups {
                for index in group where lengths[index] <= keys[index].appKey.count {
                    lengths[index] += 1
                    names[index] = render(keys[index], lengths[index])
                    changed = true
                }
            }
            if !changed { break }
        }
        return names
    }
}
