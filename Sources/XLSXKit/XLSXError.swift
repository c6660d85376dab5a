/// A libxlsxwriter call that failed: the file, what was being done and the library's own message.
public struct XLSXError: Error, Equatable, CustomStringConvertible {
    /// The workbook's path.
    public var path: String
    /// The call or step that failed, such as `workbook_close` or `writing sheet "Daily" row 3 column 2`.
    public var operation: String
    /// libxlsxwriter's text for the error (`lxw_strerror`), or a short reason of this wrapper.
    public var message: String

    /// An error of `operation` on the workbook at `path`.
    public init(path: String, operation: String, message: String) {
        self.path = path
        self.operation = operation
        self.message = message
    }

    /// One line for the user.
    public var description: String { "cannot write \(path): \(operation) failed: \(message)" }
}
