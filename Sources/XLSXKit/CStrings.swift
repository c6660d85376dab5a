#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// C copies of Swift strings for libxlsxwriter calls repeated on many rows, freed when no longer needed or when
/// the owner goes away.
public final class CStrings {
    private var owned: Set<UnsafeMutablePointer<CChar>> = []

    public init() {}

    /// A NUL-terminated copy of `text`, cut to what a cell holds.
    public func make(_ text: String) throws(XLSXError) -> UnsafeMutablePointer<CChar> {
        let copy = XLSXWorkbook.cellText(text).withCString { strdup($0) }
        guard let copy else { throw XLSXError(path: "memory", operation: "strdup", message: "out of memory") }
        owned.insert(copy)
        return copy
    }

    /// Frees copies made by `make`.
    public func release(_ strings: UnsafeMutablePointer<CChar>...) {
        for string in strings where owned.remove(string) != nil { free(string) }
    }

    deinit {
        for string in owned { free(string) }
    }
}
