import Foundation

/// `statement.eml`: one RFC 5322 message with MIME parts (RFC 2045/2046), ready for `sendmail -t` or any mail
/// transfer agent: a `multipart/mixed` of a `multipart/alternative` (the plain-text summary and the HTML
/// statement, both quoted-printable UTF-8) and the workbook attached in base64. Sending is the agent's work.
struct StatementMail {
    static let workbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    var from: MailAddress
    var to: MailAddress
    var cc: [String]
    var subject: String
    var date: Date
    var text: String
    var html: String
    var workbook: Data

    /// The whole message, CRLF line ends.
    func message() -> String {
        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let mixed = "=_ttusage_mixed_\(token)"
        let alternative = "=_ttusage_alt_\(token)"
        let crlf = MIMEText.crlf
        var headers = [
            MIMEText.addressList("From", [MIMEText.mailbox(from.address, name: from.name)]),
            MIMEText.addressList("To", [MIMEText.mailbox(to.address, name: to.name)]),
        ]
        if !cc.isEmpty { headers.append(MIMEText.addressList("Cc", cc)) }
        headers += [
            MIMEText.unstructured("Subject", subject),
            "Date: " + MIMEText.date(date),
            "Message-ID: <\(UUID().uuidString.lowercased())@\(from.domain)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed;" + crlf + " boundary=\"\(mixed)\"",
        ]
        var parts = headers
        parts += [
            "",
            "This is a MIME message: a TT API usage statement with its workbook attached.",
            "",
            "--\(mixed)",
            "Content-Type: multipart/alternative;" + crlf + " boundary=\"\(alternative)\"",
            "",
            "--\(alternative)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            MIMEText.quotedPrintable(text),
            "--\(alternative)",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            MIMEText.quotedPrintable(html),
            "--\(alternative)--",
            "",
            "--\(mixed)",
            "Content-Type: \(Self.workbookType);" + crlf + " name=\"statement.xlsx\"",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;" + crlf + " filename=\"statement.xlsx\"",
            "",
            MIMEText.base64(workbook),
            "--\(mixed)--",
            "",
        ]
        return parts.joined(separator: crlf)
    }
}
