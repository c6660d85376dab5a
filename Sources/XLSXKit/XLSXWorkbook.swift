internal import CXLSXWriter
import Foundation

/// One libxlsxwriter workbook, owned by this object alone: the only Swift type that holds a workbook handle.
///
/// Call `close()` to write the file; it throws with libxlsxwriter's own message (`lxw_strerror`). A workbook
/// released without `close()` (an error part way) is freed in `deinit` without writing anything. Nothing here
/// stops the process on a C error: every return code becomes an `XLSXError`.
public final class XLSXWorkbook {
    /// The document properties shown in a file's properties dialog.
    public struct Properties: Sendable {
        public var title = ""
        public var subject = ""
        public var author = ""
        public var company = ""
        public var keywords = ""
        public var comments = ""
        public var created = Date(timeIntervalSince1970: 0)

        /// Empty properties.
        public init() {}
    }

    /// Excel's longest text in one cell, in characters.
    public static let maxTextLength = 32_767

    public let path: String
    /// Whether rows stream to temporary files as they are written (then tables cannot be added).
    public let constantMemory: Bool
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [XLSXFormat: XLSXCellFormat] = [:]

    /// Starts a workbook that `close()` writes to `path`; `constantMemory` streams each worksheet's rows to a
    /// temporary file as they are written, so memory stays flat however many rows (rows must then be written in
    /// order, top to bottom, on each sheet, and no table can be added).
    public init(path: String, constantMemory: Bool = true, useZip64: Bool = false) throws {
        self.path = path
        self.constantMemory = constantMemory
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        options.use_zip64 = useZip64 ? 1 : 0
        let created = path.withCString { workbook_new_opt($0, &options) }
        guard let created else {
            throw XLSXError(path: path, operation: "workbook_new_opt", message: "out of memory")
        }
        handle = created
    }

    deinit {
        if let handle { lxw_workbook_free(handle) }
    }

    /// Writes the workbook file and releases it; the workbook cannot be used afterwards.
    public func close() throws {
        guard let handle else {
            throw XLSXError(path: path, operation: "workbook_close", message: "workbook already closed")
        }
        self.handle = nil
        formats = [:]
        let result = workbook_close(handle)
        try check(result, "workbook_close")
    }

    /// Adds a worksheet named `name` (at most 31 characters, unique).
    public func addWorksheet(_ name: String) throws -> XLSXWorksheet {
        let workbook = try open("workbook_add_worksheet")
        try check(name.withCString { workbook_validate_sheet_name(workbook, $0) }, "worksheet name \"\(name)\"")
        guard let sheet = name.withCString({ workbook_add_worksheet(workbook, $0) }) else {
            throw XLSXError(path: path, operation: "workbook_add_worksheet(\(name))", message: "out of memory")
        }
        return XLSXWorksheet(handle: sheet, path: path, name: name)
    }

    /// Adds a chart of `kind` to be placed on a worksheet.
    public func addChart(_ kind: XLSXChart.Kind) throws -> XLSXChart {
        let workbook = try open("workbook_add_chart")
        guard let chart = workbook_add_chart(workbook, kind.code) else {
            throw XLSXError(path: path, operation: "workbook_add_chart", message: "out of memory")
        }
        return XLSXChart(handle: chart)
    }

    /// The workbook's cell format for `format`, made once and reused.
    public func format(_ format: XLSXFormat) throws -> XLSXCellFormat {
        if let made = formats[format] { return made }
        let workbook = try open("workbook_add_format")
        guard let pointer = workbook_add_format(workbook) else {
            throw XLSXError(path: path, operation: "workbook_add_format", message: "out of memory")
        }
        if let code = format.numberFormat { code.withCString { format_set_num_format(pointer, $0) } }
        if format.bold { format_set_bold(pointer) }
        if let size = format.fontSize { format_set_font_size(pointer, size) }
        if let fill = format.fill { format_set_bg_color(pointer, lxw_color_t(fill)) }
        if let top = format.top { format_set_top(pointer, XLSXWorkbook.code(top)) }
        if let bottom = format.bottom { format_set_bottom(pointer, XLSXWorkbook.code(bottom)) }
        let made = XLSXCellFormat(pointer)
        formats[format] = made
        return made
    }

    private static func code(_ border: XLSXFormat.Border) -> UInt8 {
        switch border {
        case .thin: UInt8(LXW_BORDER_THIN.rawValue)
        case .double: UInt8(LXW_BORDER_DOUBLE.rawValue)
        }
    }

    /// Sets the document properties.
    public func setProperties(_ given: Properties) throws {
        let workbook = try open("workbook_set_properties")
        // libxlsxwriter copies the strings; they only need to live through the call.
        var strings = CStringCopies()
        defer { strings.release() }
        var properties = lxw_doc_properties()
        properties.title = try strings.copy(given.title, path)
        properties.subject = try strings.copy(given.subject, path)
        properties.author = try strings.copy(given.author, path)
        properties.keywords = try strings.copy(given.keywords, path)
        properties.comments = try strings.copy(given.comments, path)
        if !given.company.isEmpty { properties.company = try strings.copy(given.company, path) }
        properties.created = time_t(given.created.timeIntervalSince1970.rounded(.down))
        try check(workbook_set_properties(workbook, &properties), "workbook_set_properties")
    }

    /// Adds a custom text property.
    public func setCustomProperty(_ name: String, _ value: String) throws {
        let workbook = try open("workbook_set_custom_property_string")
        let result = name.withCString { name in
            value.withCString { value in workbook_set_custom_property_string(workbook, name, value) }
        }
        try check(result, "workbook_set_custom_property_string")
    }

    /// Defines a workbook-wide name for `formula` (`=About!$B$4`).
    public func defineName(_ name: String, formula: String) throws {
        let workbook = try open("workbook_define_name")
        let result = name.withCString { name in formula.withCString { workbook_define_name(workbook, name, $0) } }
        try check(result, "workbook_define_name(\(name))")
    }

    private func open(_ operation: String) throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let handle else {
            throw XLSXError(path: path, operation: operation, message: "workbook already closed")
        }
        return handle
    }

    private func check(_ result: lxw_error, _ operation: String) throws {
        guard result != LXW_NO_ERROR else { return }
        throw XLSXError(path: path, operation: operation, message: XLSXWorkbook.message(result))
    }

    /// libxlsxwriter's text for an error code.
    static func message(_ error: lxw_error) -> String {
        guard let text = lxw_strerror(error) else { return "libxlsxwriter error \(error.rawValue)" }
        return String(cString: text)
    }

    /// `text` as a cell must be given to libxlsxwriter: cut to what a cell holds; a NUL (which would end the C
    /// string) written as U+FFFD; and a literal `_xHHHH_` escaped as `_x005F_xHHHH_`, since OOXML readers decode
    /// `_xHHHH_` in cell text and libxlsxwriter escapes only control characters.
    public static func cellText(_ text: String) -> String {
        var text = text
        if text.utf8.count > maxTextLength {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text.unicodeScalars.prefix(maxTextLength))
            text = String(scalars)
        }
        if text.utf8.contains(0) { text = text.replacingOccurrences(of: "\0", with: "\u{FFFD}") }
        guard mayHoldEscape(text) else { return text }
        return text.replacing(/_(x[0-9A-Fa-f]{4}_)/) { "_x005F_" + $0.output.1 }
    }

    /// Whether `text` holds `_x` (a byte scan: Foundation's `contains` costs thousands of instructions a cell).
    private static func mayHoldEscape(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "_"), byte == UInt8(ascii: "x") { return true }
            previous = byte
        }
        return false
    }
}
