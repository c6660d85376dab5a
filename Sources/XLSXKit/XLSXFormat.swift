internal import CXLSXWriter

/// The look of a cell as Swift values: number format, weight, size, fill and borders.
///
/// A workbook turns each distinct `XLSXFormat` into one libxlsxwriter format, once (`XLSXWorkbook.format(_:)`).
public struct XLSXFormat: Hashable, Sendable {
    /// A cell border line.
    public enum Border: Hashable, Sendable {
        case thin, double
    }

    /// Excel's number format code (`#,##0`, `0.0%`, `yyyy-mm-dd`), or nil for General.
    public var numberFormat: String?
    public var bold: Bool
    /// The font size in points, or nil for the default.
    public var fontSize: Double?
    /// The solid fill as `0xRRGGBB`, or nil for none.
    public var fill: UInt32?
    public var top: Border?
    public var bottom: Border?

    /// A format; every part defaults to Excel's default.
    public init(
        numberFormat: String? = nil, bold: Bool = false, fontSize: Double? = nil, fill: UInt32? = nil,
        top: Border? = nil, bottom: Border? = nil
    ) {
        self.numberFormat = numberFormat
        self.bold = bold
        self.fontSize = fontSize
        self.fill = fill
        self.top = top
        self.bottom = bottom
    }

    /// Whether the format draws a border.
    public var hasBorder: Bool { top != nil || bottom != nil }
}

/// A format made by a workbook, to pass to the worksheet's writes: valid until the workbook is closed.
public struct XLSXCellFormat {
    let pointer: UnsafeMutablePointer<lxw_format>

    init(_ pointer: UnsafeMutablePointer<lxw_format>) {
        self.pointer = pointer
    }
}
