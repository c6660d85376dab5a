/// Writes numbers and escaped text as UTF-8 bytes, for the CSV and JSON writers.
enum TextEncoding {
    /// Appends the decimal digits of `value`.
    @inline(__always)
    static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        guard value != Int.min else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value < 0 ? -value : value
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start..<bytes.count].reverse()
    }
}
