import XLSXKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// C copies of Swift strings for libxlsxwriter calls repeated on many rows, freed when no longer needed or when
/// the owner goes away.
final class CStrings {
    private var owned: Set<UnsafeMutablePointer<CChar>> = []

    /// A NUL-terminated copy of `text`, cut to what a cell holds.
    func make(_ text: String) throws -> UnsafeMutablePointer<CChar> {
        let copy = XLSXWorkbook.cellText(text).withCString { strdup($0) }
        guard let copy else { throw ReportError.cannotWrite(path: "memory", reason: "out of memory") }
        owned.insert(copy)
        return copy
    }

    /// Frees copies made by `make`.
    func release(_ strings: UnsafeMutablePointer<CChar>...) {
        for string in strings where owned.remove(string) != nil { free(string) }
    }

    deinit {
        for string in owned { free(string) }
    }
}
