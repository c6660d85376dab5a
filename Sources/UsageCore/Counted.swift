extension Int {
    /// The count and the noun in agreement with it: `1 file`, `2 files`, `0 days`.
    public func counted(_ one: String, _ many: String? = nil) -> String {
        "\(self) \(self == 1 ? one : many ?? one + "s")"
    }
}
