import UsageCore

/// The names the page gives keys: `label (first 8 characters of the key)`, or the key itself without a label;
/// where two keys would read the same, as much more of the key as tells them apart (and the user id when the key
/// itself is the same). No two entries of a chart or a list carry the same name.
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
    /// is kept.
    static func clipped(_ key: KeyEntry, _ length: Int) -> String {
        let appKey = HTMLCellText.clean(key.appKey)
        let label = HTMLCellText.clean(key.label)
        let keyPart = part(of: key, length)
        if label.isEmpty {
            if length >= appKey.count { return keyPart }
            return appKey.count <= chartLength ? appKey : String(appKey.prefix(max(length, chartLength - 1))) + "…"
        }
        let name = "\(label) (\(keyPart))"
        guard name.count > chartLength else { return name }
        let room = max(chartLength - keyPart.count - 4, 4)
        return "\(label.prefix(room))… (\(keyPart))"
    }

    /// `length` characters of the key, the whole key, or the key and its user id past its length.
    private static func part(of key: KeyEntry, _ length: Int) -> String {
        let appKey = HTMLCellText.clean(key.appKey)
        if length > appKey.count { return "\(appKey), user \(HTMLCellText.clean(key.userId))" }
        return String(appKey.prefix(length))
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
