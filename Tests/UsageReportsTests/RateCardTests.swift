import Foundation
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

/// Every malformed rate card exits 65 and names the file and the line of the problem.
@Suite struct RateCardTests {
    static let good = """
        currency: USD
        default-plan: standard
        plans:
          standard:
            monthly-fee: "250.00"
            tiers:
              - up-to: 1000
                per-1000: "0.40"
              - per-1000: "0.25"
        """

    /// (card, line of the problem, words the message holds)
    static let bad: [(String, Int, String)] = [
        ("currency: usd\ndefault-plan: a\nplans:\n  a: {}\n", 1, "not an ISO 4217 code"),
        ("currency: XYZ\ndefault-plan: a\nplans:\n  a: {}\n", 1, "not an ISO 4217 code"),
        ("currency: USD\ndefault-plan: gold\nplans:\n  a: {}\n", 2, "unknown plan \"gold\""),
        ("currency: USD\ndefault-plan: a\nplans:\n  a: {}\ncustomers:\n  Acme: b\n", 6, "unknown plan \"b\""),
        (
            "currency: USD\ndefault-plan: a\nplans:\n  a:\n    tiers:\n      - up-to: 10\n        per-1000: \"1\"\n"
                + "      - up-to: 5\n        per-1000: \"1\"\n      - per-1000: \"1\"\n",
            8, "not above"
        ),
        (
            "currency: USD\ndefault-plan: a\nplans:\n  a:\n    tiers:\n      - up-to: 10\n        per-1000: \"1\"\n"
                + "      - per-1000: \"1\"\n        up-to: 20\n",
            9, "last tier"
        ),
        ("currency: USD\ndefault-plan: a\nplans:\n  a:\n    monthly-fee: 0.40\n", 5, "never read as a float"),
        ("currency: USD\ndefault-plan: a\nplans:\n  a:\n    monthly-fee: \"1,000\"\n", 5, "is not an amount"),
        ("currency: USD\ndefault-plan: a\nplans:\n  a:\n    montly-fee: \"1\"\n", 5, "unknown key \"montly-fee\""),
        ("currency: USD\ndefault-plan: a\nplans:\n  a:\n    pricing: stairs\n", 5, "not graduated or volume"),
        ("currency: USD\nrounding: up\ndefault-plan: a\nplans:\n  a: {}\n", 2, "not half-up or half-even"),
        ("currency: USD\ndefault-plan: a\nplans:\n  a:\n    included-calls: -5\n", 5, "whole number"),
        ("currency: USD\ndefault-plan: a\nplans: [a]\n", 3, "mapping of plan names"),
        ("currency: USD\ndefault-plan: a\nplans:\n  a: {}\n  a: {}\n", 4, "given twice"),
        ("currency: USD\n  default-plan: [a\n", 2, "not valid YAML"),
    ]

    @Test func theGoodCardParses() throws {
        let card = try RateCardParser(source: "rates.yaml").parse(Self.good)
        #expect(card.currency.code == "USD")
        #expect(card.plans["standard"]?.tiers.map(\.upTo) == [1000, nil])
        #expect(card.plans["standard"]?.monthlyFee == Decimal(string: "250.00"))
    }

    @Test(arguments: bad.indices)
    func aBadCardNamesItsLine(index: Int) throws {
        let (yaml, line, words) = Self.bad[index]
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        let path = folder.appendingPathComponent("rates.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: ReportError.self) { try RateCard.load(path: path) }
        #expect(error.category.code == 65)
        #expect(error.description.hasPrefix("rate card \(path) line \(line): "), "\(error.description)")
        #expect(error.description.contains(words), "\(error.description)")
    }

    @Test func aMissingCardIs66() throws {
        let error = try #require(throws: ReportError.self) { try RateCard.load(path: "/nonexistent/rates.yaml") }
        #expect(error.category.code == 66)
    }

    @Test func theSampleCardParses() throws {
        let card = try RateCard.load(
            path: TestData.repositoryRoot.appendingPathComponent("samples/rates.example.yaml").path)
        #expect(Set(card.plans.values.map(\.pricing)) == [.graduated, .volume])
    }
}
