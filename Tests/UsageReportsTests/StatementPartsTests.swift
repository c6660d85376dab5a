import Foundation
import TTUsageTestSupport
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

/// The parts of a statement pack: folder names, the rate card's recipients, the message's encodings.
@Suite struct StatementPartsTests {
    @Test func slugsAreAsciiDistinctAndTheSameWhateverTheOrder() {
        let names = [
            "Acme Capital", "ACME capital", "Acme", "Ac<me>", "Caf\u{E9}", "Cafe\u{301}", "!!!", "日本", "acme-capital-2",
            "  Borealis Trading, Ltd  ", String(repeating: "long name ", count: 20),
        ]
        let folders = StatementSlug.folders(for: names)
        let expected = [
            "acme-capital-3", "acme-capital", "acme", "ac-me", "cafe-2", "cafe", "customer-1", "customer-2",
            "acme-capital-2", "borealis-trading-ltd",
            "long-name-long-name-long-name-long-name-long-name-long-name",
        ]
        #expect(folders == expected)
        #expect(Set(folders).count == names.count)
        #expect(
            folders.allSatisfy {
                $0.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            })
        for _ in 0..<5 {
            let shuffled = names.shuffled()
            let again = Dictionary(
                uniqueKeysWithValues: zip(
                    shuffled.map { Array($0.unicodeScalars) }, StatementSlug.folders(for: shuffled)))
            #expect(names.indices.allSatisfy { again[Array(names[$0].unicodeScalars)] == expected[$0] })
        }
    }

    @Test func aCustomerEntryMayBeAMappingWithItsRecipients() throws {
        let card = try RateCardParser(source: "rates.yaml").parse(StatementFixture.rates)
        #expect(card.customers["Acme"] == "bulk")
        #expect(card.customers["Beta"] == "standard")
        #expect(card.plan(for: "Beta").name == "standard")
        #expect(
            card.recipients["Acme"]
                == StatementRecipient(
                    email: "ap@acme.example", cc: ["cfo@acme.example", "audit@acme.example"], name: "Acme Ltd"))
        #expect(card.recipients["Beta"]?.email == "billing@beta.example")
    }

    /// (customer entry, line of the problem, words the message holds)
    static let badEntries: [(String, Int, String)] = [
        ("  Acme: {email: \"ap@acme\"}\n", 6, "\"ap@acme\" is not an e-mail address"),
        ("  Acme:\n    email: \"a p@acme.example\"\n", 7, "is not an e-mail address"),
        ("  Acme:\n    plan: a\n    cc: [\"ok@acme.example\", \"x@\"]\n", 8, "\"x@\" is not an e-mail address"),
        ("  Acme: {email: \"ap@acme.example\", phone: 1}\n", 6, "unknown key \"phone\""),
        ("  Acme: {plan: gold}\n", 6, "unknown plan \"gold\""),
        ("  Acme: {cc: \"cfo@acme.example\"}\n", 6, "no email"),
        ("  Acme: {email: \"ap@acme.example\\r\\nBcc: x@evil.example\"}\n", 6, "is not an e-mail address"),
    ]

    @Test(arguments: badEntries.indices)
    func aMalformedAddressNamesItsFileAndLine(index: Int) throws {
        let (entry, line, words) = Self.badEntries[index]
        let yaml = "currency: USD\ndefault-plan: a\nplans:\n  a: {}\ncustomers:\n" + entry
        let error = try #require(throws: ReportError.self) { try RateCardParser(source: "rates.yaml").parse(yaml) }
        #expect(error.category.code == 65)
        #expect(error.description.hasPrefix("rate card rates.yaml line \(line): "), "\(error.description)")
        #expect(error.description.contains(words), "\(error.description)")
    }

    @Test func addresses() {
        #expect(MailAddress(address: "ap@acme.example") != nil)
        #expect(MailAddress(address: "first.last+tag@mail.acme-capital.example") != nil)
        for bad in [
            "", "ap", "ap@", "@acme.example", "ap@acme", "a..p@acme.example", "ap@-acme.example", "äp@acme.example",
            "ap@acme.example\r\nBcc: x@y.z",
        ] {
            #expect(MailAddress(address: bad) == nil, "\(bad)")
        }
        let named = MailAddress(parsing: "TT Billing <billing@tt.example>")
        #expect(named?.address == "billing@tt.example" && named?.name == "TT Billing" && named?.domain == "tt.example")
        #expect(MailAddress(parsing: "\"TT, Billing\" <billing@tt.example>")?.name == "TT, Billing")
        #expect(MailAddress(parsing: "billing at tt") == nil)
    }

    @Test func quotedPrintableRoundTripsAndKeepsLinesShort() throws {
        let text =
            "A line = with an equals sign, ünïcødé and a long run: " + String(repeating: "0123456789", count: 20)
            + "\n.a dot first\nFrom the start\ntrailing space \n\ttab first\n\n" + String(repeating: "é", count: 60)
        let encoded = MIMEText.quotedPrintable(text)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.allSatisfy { $0 != "." && !$0.hasPrefix(".") && !$0.hasPrefix("From ") })
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") && !$0.hasSuffix("\t") })
        #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII })
        let message =
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + encoded + "\r\n"
        let part = try MIMEPart(message: Data(message.utf8))
        #expect(part.text == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func headersAreFoldedAndEncodedOnlyWhenTheyMustBe() throws {
        let plain = MIMEText.unstructured(
            "Subject", "TT API usage statement, 2026-10-01 to 2026-10-31, Borealis Trading International Holdings Ltd")
        #expect(plain.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(plain.components(separatedBy: "\r\n").count == 2)
        #expect(!plain.contains("=?"))
        let name = "Société Générale 🇫🇷 \"Paris\"\nline two " + String(repeating: "ü", count: 80)
        let encoded = MIMEText.unstructured("Subject", name)
        #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        let mailbox = MIMEText.mailbox("ap@acme.example", name: name)
        let message = "\(encoded)\r\nTo: \(mailbox)\r\n\r\nbody\r\n"
        let part = try MIMEPart(message: Data(message.utf8))
        #expect(part.header("Subject") == name.replacingOccurrences(of: "\n", with: " "))
        #expect(part.header("To") == name.replacingOccurrences(of: "\n", with: " ") + " <ap@acme.example>")
        #expect(
            MIMEText.mailbox("ap@acme.example", name: "Say \"hi\" \\ o")
                == "\"Say \\\"hi\\\" \\\\ o\" <ap@acme.example>")
        #expect(MIMEText.date(Date(timeIntervalSince1970: 1_796_634_000)) == "Mon, 07 Dec 2026 09:00:00 +0000")
    }
}
