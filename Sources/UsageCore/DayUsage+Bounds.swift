/// The bounds a count read from a file must keep, so that every sum a report makes fits an `Int`.
extension DayUsage {
    /// The largest count of one key on one day that ttusage believes: the bound the keyusage parser holds the
    /// service to (no usage plan allows a trillion calls a day).
    public static let maxCount = 1_000_000_000_000

    /// Adds `count` to `total`, or `nil` when the sum passes what an `Int` holds.
    public static func adding(_ count: Int?, to total: Int) -> Int? {
        guard let count else { return total }
        let (sum, overflow) = total.addingReportingOverflow(count)
        return overflow ? nil : sum
    }
}
