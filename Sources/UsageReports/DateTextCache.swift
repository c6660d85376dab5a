import UsageCore

/// The `YYYY-MM-DD` bytes of every day of a range, made once: a report writes each date once per key.
struct DateTextCache {
    private let range: DayRange
    private let texts: [[UInt8]]

    init(range: DayRange) {
        self.range = range
        self.texts = range.map { Array($0.isoText.utf8) }
    }

    /// Appends the day's text (computed for a day outside the range).
    @inline(__always)
    func append(_ day: Day, to bytes: inout [UInt8]) {
        if let offset = range.offset(of: day) {
            bytes.append(contentsOf: texts[offset])
        } else {
            bytes.append(contentsOf: day.isoText.utf8)
        }
    }
}
