import Foundation
import UsageAnalysis
import UsageCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes `statements/` into a report folder: one folder per customer with its `statement.html`,
/// `statement.xlsx`, `statement.csv` and, when the rate card gives it an address, `statement.eml`, and
/// `index.csv` over them all.
///
/// Each customer's files are made from a dataset that holds only that customer's keys, so nothing of another
/// customer can reach them. The folder is built beside its place under a temporary name and switched in whole:
/// a reader never finds statements of two runs, or the folder of a customer who is gone. Customers are written
/// one at a time, so memory does not grow with their number.
public struct StatementWriter: Sendable {
    public var options: StatementOptions
    /// The report's options: the rate card, the company, the tool version, the CSV byte order mark.
    public var render: RenderOptions

    public init(options: StatementOptions, render: RenderOptions) {
        self.options = options
        self.render = render
    }

    /// What was written.
    public struct Written: Sendable {
        /// `statements/` in the folder given.
        public var folder: URL
        public var customers: Int
        /// The statement.eml files written.
        public var messages: Int
    }

    /// Writes `directory/statements/` for `dataset`, replacing whatever statements the folder held.
    ///
    /// - Throws: `ReportError` `.badUsage` when a customer has an address and there is no `From`, `.cannotWrite`
    ///   or `.xlsx` when a file cannot be written (the statements already there stay as they were).
    public func write(_ dataset: UsageDataset, to directory: URL) throws -> Written {
        let token = String(UUID().uuidString.prefix(8))
        let stage = directory.appendingPathComponent(".statements-\(token).tmp", isDirectory: true)
        let target = directory.appendingPathComponent("statements", isDirectory: true)
        try makeFolder(stage)
        do {
            var written = try writePacks(dataset, into: stage)
            try switchIn(stage, as: target, token: token)
            written.folder = target
            return written
        } catch {
            try? FileManager.default.removeItem(at: stage)
            throw error
        }
    }

    /// Writes the packs and `index.csv` into `folder` (made when missing), which becomes `statements/`: a report's
    /// staging folder, switched in with the rest of the report.
    public func writePacks(_ dataset: UsageDataset, into stage: URL) throws -> Written {
        let book = StatementBook(dataset: dataset, rates: render.rates)
        try makeFolder(stage)
        do {
            let ordered = book.entries.sorted {
                let (a, b) = ($0.customer.lowercased(), $1.customer.lowercased())
                return a != b ? CustomerName.scalarOrder(a, b) : CustomerName.scalarOrder($0.customer, $1.customer)
            }
            let rows = try StatementWorkers.run(count: ordered.count) { html, index in
                let statement = book.statement(ordered[index])
                let mailed = try writePack(statement, into: stage.appendingPathComponent(statement.folder), html: html)
                return StatementIndex.Row(statement, mailed: mailed)
            }
            var index = StatementIndex(byteOrderMark: render.excelBOM)
            rows.forEach { index.append($0) }
            try index.write(to: stage.appendingPathComponent("index.csv").path)
            return Written(folder: stage, customers: rows.count, messages: rows.filter(\.mailed).count)
        }
    }

    /// Writes one customer's folder; returns whether it holds a statement.eml.
    private func writePack(_ statement: Statement, into folder: URL, html: StatementHTML) throws -> Bool {
        try makeFolder(folder)
        try CSVWriter.writeDaily(
            statement.dataset, byteOrderMark: render.excelBOM,
            to: try ByteSink(path: folder.appendingPathComponent("statement.csv").path))
        let tables = StatementTables.billing(statement) + [StatementTables.keyMonths(statement)]
        let workbookURL = folder.appendingPathComponent("statement.xlsx")
        try StatementWorkbook(statement: statement, tables: tables, options: render).write(to: workbookURL.path)
        let page = try html.page(StatementPage(statement, tables: tables, options: render))
        try ByteSink(path: folder.appendingPathComponent("statement.html").path).close(writing: Array(page.utf8))
        guard let recipient = statement.recipient, let email = recipient.email,
            var to = MailAddress(address: email)
        else { return false }
        guard let from = options.from else {
            throw ReportError.badUsage(
                "customer \"\(statement.customer)\" has an e-mail address in the rate card: give --statement-from "
                    + "ADDRESS (or statement-from: in the profile) to write its statement.eml")
        }
        to.name = statement.displayName
        let workbook: Data
        do {
            workbook = try Data(contentsOf: workbookURL)
        } catch {
            throw ReportError.cannotWrite(path: workbookURL.path, reason: "the workbook cannot be read back to attach")
        }
        let mail = StatementMail(
            from: from, to: to, cc: recipient.cc, subject: statement.subject, date: options.date,
            text: StatementText.summary(statement, tables: tables, company: render.company), html: page,
            workbook: workbook)
        try ByteSink(path: folder.appendingPathComponent("statement.eml").path).close(
            writing: Array(mail.message().utf8))
        return true
    }

    private func makeFolder(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: url.path, reason: "the folder cannot be created")
        }
    }

    /// Puts `stage` in the place of `target`: the old folder is moved aside first and removed after.
    private func switchIn(_ stage: URL, as target: URL, token: String) throws {
        let aside = target.deletingLastPathComponent().appendingPathComponent(".statements-\(token).old")
        var moved = false
        if FileManager.default.fileExists(atPath: target.path) {
            guard rename(target.path, aside.path) == 0 else {
                throw ReportError.cannotWrite(path: target.path, reason: ByteSink.lastError())
            }
            moved = true
        }
        guard rename(stage.path, target.path) == 0 else {
            let reason = ByteSink.lastError()
            if moved { _ = rename(aside.path, target.path) }
            throw ReportError.cannotWrite(path: target.path, reason: reason)
        }
        if moved { try? FileManager.default.removeItem(at: aside) }
    }
}

extension StatementWriter.Written {
    /// One line for the user: `wrote the statements of 12 customers (9 e-mails) to OUT/statements`.
    public var summary: String {
        "wrote the statements of \(customers) \(customers == 1 ? "customer" : "customers") "
            + "(\(messages) \(messages == 1 ? "e-mail" : "e-mails")) to \(folder.path)"
    }
}
