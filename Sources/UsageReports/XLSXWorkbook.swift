import CXLSXWriter
import Foundation

/// One libxlsxwriter workbook, owned by this object alone: the only Swift type that holds a workbook handle.
///
/// Call `close()` to write the file; it throws with libxlsxwriter's own message (`lxw_strerror`). A workbook
/// released without `close()` (an error part way) is freed in `deinit` without writing anything. Nothing here
/// stops the process on a C error: every return code becomes a `ReportError`.
final class XLSXWorkbook {
    /// The look of a cell: its value type and the kind of row it is on.
    struct Style: Hashable {
        enum Tone: Hashable {
            case plain, header, flagged, subtotal, total, title
        }

        var type: CellType
        var tone: Tone
        /// A number format of its own (a currency's), instead of the type's.
        var numberFormat: String? = nil
    }

    /// Excel's longest text in one cell, in characters.
    static let maxTextLength = 32_767

    let path: String
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [Style: UnsafeMutablePointer<lxw_format>] = [:]

    /// Starts a workbook that `close()` writes to `path`; `constantMemory` streams each worksheet's rows to a
    /// temporary file as they are written, so memory stays flat however many rows (rows must then be written in
    /// order, top to bottom, on each sheet).
    init(path: String, constantMemory: Bool = true, useZip64: Bool = false) throws {
        self.path = path
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        options.use_zip64 = useZip64 ? 1 : 0
        let created = path.withCString { workbook_new_opt($0, &options) }
        guard let created else {
            throw ReportError.xlsx(path: path, operation: "workbook_new_opt", message: "out of memory")
        }
        handle = created
    }

    deinit {
        if let handle { lxw_workbook_free(handle) }
    }

    /// Writes the workbook file and releases it; the workbook cannot be used afterwards.
    func close() throws {
        guard let handle else {
            throw ReportError.xlsx(path: path, operation: "workbook_close", message: "workbook already closed")
        }
        self.handle = nil
        formats = [:]
        let result = workbook_close(handle)
        try check(result, "workbook_close")
    }

    /// Adds a worksheet named `name` (at most 31 characters, unique).
    func addWorksheet(_ name: String) throws -> XLSXWorksheet {
        let workbook = try open("workbook_add_worksheet")
        try check(name.withCString { workbook_validate_sheet_name(workbook, $0) }, "worksheet name \"\(name)\"")
        guard let sheet = name.withCString({ workbook_add_worksheet(workbook, $0) }) else {
            throw ReportError.xlsx(path: path, operation: "workbook_add_worksheet(\(name))", message: "out of memory")
        }
        return XLSXWorksheet(handle: sheet, path: path, name: name)
    }

    /// Adds a chart of `type` (`LXW_CHART_LINE`, …) to be placed on a worksheet.
    func addChart(_ type: lxw_chart_type) throws -> XLSXChart {
        let workbook = try open("workbook_add_chart")
        guard let chart = workbook_add_chart(workbook, UInt8(type.rawValue)) else {
            throw ReportError.xlsx(path: path, operation: "workbook_add_chart", message: "out of memory")
        }
        return XLSXChart(handle: chart)
    }

    /// The workbook's cell format for `style`, made once and reused.
    func format(_ style: Style) throws -> UnsafeMutablePointer<lxw_format> {
        if let format = formats[style] { return format }
        let workbook = try open("workbook_add_format")
        guard let format = workbook_add_format(workbook) else {
            throw ReportError.xlsx(path: path, operation: "workbook_add_format", message: "out of memory")
        }
        switch style.type {
        case .text: break
        case .integer: format_set_num_format(format, "#,##0")
        case .decimal: format_set_num_format(format, "#,##0.00")
        case .percent: format_set_num_format(format, "0.0%")
        case .date: format_set_num_format(format, "yyyy-mm-dd")
        case .money: format_set_num_format(format, style.numberFormat ?? "#,##0.00")
        }
        switch style.tone {
        case .plain: break
        case .title:
            format_set_bold(format)
            format_set_font_size(format, 13)
        case .header:
            format_set_bold(format)
            format_set_bg_color(format, 0xD9E1F2)
            format_set_bottom(format, UInt8(LXW_BORDER_THIN.rawValue))
        case .flagged:
            format_set_bg_color(format, 0xFCE4D6)
        case .subtotal:
            format_set_bold(format)
            format_set_bg_color(format, 0xF2F2F2)
            format_set_top(format, UInt8(LXW_BORDER_THIN.rawValue))
        case .total:
            format_set_bold(format)
            format_set_bg_color(format, 0xDDEBF7)
            format_set_top(format, UInt8(LXW_BORDER_THIN.rawValue))
            format_set_bottom(format, UInt8(LXW_BORDER_DOUBLE.rawValue))
        }
        formats[style] = format
        return format
    }

    /// Sets the document properties shown in the file's properties dialog.
    func setProperties(
        title: String, subject: String, author: String, keywords: String, comments: String, created: Date
    ) throws {
        let workbook = try open("workbook_set_properties")
        // libxlsxwriter copies the strings; they only need to live through the call.
        let strings = [title, subject, author, keywords, comments].map { text in text.withCString { strdup($0) } }
        defer { strings.forEach { free($0) } }
        var properties = lxw_doc_properties()
        properties.title = strings[0]
        properties.subject = strings[1]
        properties.author = strings[2]
        properties.keywords = strings[3]
        properties.comments = strings[4]
        properties.created = time_t(created.timeIntervalSince1970.rounded(.down))
        try check(workbook_set_properties(workbook, &properties), "workbook_set_properties")
    }

    /// Adds a custom text property.
    func setCustomProperty(_ name: String, _ value: String) throws {
        let workbook = try open("workbook_set_custom_property_string")
        let result = name.withCString { name in
            value.withCString { value in workbook_set_custom_property_string(workbook, name, value) }
        }
        try check(result, "workbook_set_custom_property_string")
    }

    private func open(_ operation: String) throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let handle else {
            throw ReportError.xlsx(path: path, operation: operation, message: "workbook already closed")
        }
        return handle
    }

    private func check(_ result: lxw_error, _ operation: String) throws {
        guard result != LXW_NO_ERROR else { return }
        throw ReportError.xlsx(path: path, operation: operation, message: XLSXWorkbook.message(result))
    }

    /// libxlsxwriter's text for an error code.
    static func message(_ error: lxw_error) -> String {
        guard let text = lxw_strerror(error) else { return "libxlsxwriter error \(error.rawValue)" }
        return String(cString: text)
    }

    /// `text` as a cell must be given to libxlsxwriter: cut to what a cell holds; a NUL (which would end the C
    /// string) written as U+FFFD; and a literal `_xHHHH_` escaped as `_x005F_xHHHH_`, since OOXML readers decode
    /// `_xHHHH_` in cell text and libxlsxwriter escapes only control characters.
    static func cellText(_ text: String) -> String {
        var text = text
        if text.utf8.count > maxTextLength {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text.unicodeScalars.prefix(maxTextLength))
            text = String(scalars)
        }
        if text.utf8.contains(0) { text = text.replacingOccurrences(of: "\0", with: "\u{FFFD}") }
        guard text.contains("_x") else { return text }
        return text.replacing(/_(x[0-9A-Fa-f]{4}_)/) { "_x005F_" + $0.output.1 }
    }
}
