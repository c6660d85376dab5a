/// A customer's name compared scalar by scalar: two labels are one customer only when they are the same
/// Unicode scalars. Swift's `String` equality is canonical equivalence, which would make `Café` written
/// precomposed and `Café` written with a combining accent one customer, and one of them would then see the
/// other's keys.
package struct CustomerName: Hashable, Sendable {
    package let text: String

    package init(_ text: String) {
        self.text = text
    }

    package static func == (lhs: CustomerName, rhs: CustomerName) -> Bool {
        lhs.text.unicodeScalars.elementsEqual(rhs.text.unicodeScalars)
    }

    package func hash(into hasher: inout Hasher) {
        for scalar in text.unicodeScalars { hasher.combine(scalar.value) }
    }

    /// Orders names by their scalars, so that an order made from names is the same on every run.
    package static func scalarOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars) { $0.value < $1.value }
    }
}
