import Foundation
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports

/// Amounts against figures worked out by hand (in the comments), for each pricing rule of the rate card.
@Suite struct PricingTests {
    static let october = DayRange(year: 2026, month: 10)!

    /// One customer, `Acme`, with `calls` on 2026-10-01 and none the other days of October.
    static func month(calls: Int, label: String = "Acme") -> CustomerMonth {
        let key = KeyEntry(appKey: "K-1", userId: "u1", label: label)
        let days = october.map { DayUsage(date: $0, used: $0 == october.from ? calls : 0, remaining: nil, status: .ok) }
        let dataset = UsageDataset(
            generatedAt: Date(timeIntervalSince1970: 0), environment: "ext_uat_cert", range: october,
            keys: [KeyUsage(key: key, days: days)])
        return CustomerMonths.build(dataset)[0]
    }

    static func card(_ yaml: String) throws -> RateCard {
        try RateCardParser(source: "test.yaml").parse(yaml)
    }

    static func standard(pricing: String, rounding: String = "half-up") throws -> RateCard {
        try card(
            """
            currency: USD
            rounding: \(rounding)
            default-plan: standard
            plans:
              standard:
                monthly-fee: "250.00"
                included-calls: 100000
                pricing: \(pricing)
                tiers:
                  - up-to: 1000000
                    per-1000: "0.40"
                  - per-1000: "0.25"
            """)
    }

    static func amounts(_ invoice: Invoice) -> [String] {
        invoice.lines.map { "\($0.line) \($0.quantity) \(Money.text($0.amount, currency: invoice.currency))" }
    }

    @Test func graduatedPricesEachTierItsShare() throws {
        // 1,600,000 calls − 100,000 included = 1,500,000 billable: 1,000,000 × 0.40/1000 = 400.00 and
        // 500,000 × 0.25/1000 = 125.00, with the 250.00 fee: 775.00.
        let invoice = InvoiceBuilder(rates: try Self.standard(pricing: "graduated")).invoice(
            Self.month(calls: 1_600_000))
        #expect(invoice.billableCalls == 1_500_000)
        #expect(Self.amounts(invoice) == ["monthly fee 1 250.00", "tier 1 1000000 400.00", "tier 2 500000 125.00"])
        #expect(Money.text(invoice.amount, currency: invoice.currency) == "775.00")
    }

    @Test func volumePricesEveryCallAtTheTierOfTheTotal() throws {
        // 1,500,000 billable falls in tier 2: 1,500,000 × 0.25/1000 = 375.00, + 250.00 = 625.00.
        let invoice = InvoiceBuilder(rates: try Self.standard(pricing: "volume")).invoice(Self.month(calls: 1_600_000))
        #expect(Self.amounts(invoice) == ["monthly fee 1 250.00", "tier 2 1500000 375.00"])
        #expect(Money.text(invoice.amount, currency: invoice.currency) == "625.00")
    }

    @Test(arguments: ["graduated", "volume"])
    func aTierBoundaryHitExactlyStaysInTheTier(pricing: String) throws {
        // 1,100,000 − 100,000 = 1,000,000 billable: exactly tier 1's up-to, inclusive: 400.00 + 250.00.
        let invoice = InvoiceBuilder(rates: try Self.standard(pricing: pricing)).invoice(Self.month(calls: 1_100_000))
        #expect(Self.amounts(invoice) == ["monthly fee 1 250.00", "tier 1 1000000 400.00"])
        #expect(Money.text(invoice.amount, currency: invoice.currency) == "650.00")
        // One call more starts tier 2 (graduated: 0.25/1000 = 0.00025 → 0.00; volume: all at 0.25 → 250.00).
        let above = InvoiceBuilder(rates: try Self.standard(pricing: pricing)).invoice(Self.month(calls: 1_100_001))
        #expect(Money.text(above.amount, currency: above.currency) == (pricing == "graduated" ? "650.00" : "500.00"))
    }

    @Test func aFeeOnlyPlanChargesItsFee() throws {
        let rates = try Self.card(
            """
            currency: EUR
            default-plan: flat
            plans:
              flat:
                monthly-fee: "99.99"
            """)
        let invoice = InvoiceBuilder(rates: rates).invoice(Self.month(calls: 5_000))
        #expect(Self.amounts(invoice) == ["monthly fee 1 99.99"])
        #expect(invoice.lines.first?.unitPrice == Decimal(string: "99.99"))
        #expect(Money.text(invoice.amount, currency: invoice.currency) == "99.99")
    }

    @Test func includedCallsAboveTheUsageLeaveNothingBillable() throws {
        let invoice = InvoiceBuilder(rates: try Self.standard(pricing: "graduated")).invoice(Self.month(calls: 50_000))
        #expect(invoice.billableCalls == 0)
        #expect(Self.amounts(invoice) == ["monthly fee 1 250.00"])
    }

    @Test func yenHasNoMinorUnit() throws {
        // 1,234 × 12.5/1000 = 15.425 → 15 yen; with the 3,000 fee: 3015.
        let rates = try Self.card(
            """
            currency: JPY
            default-plan: p
            plans:
              p:
                monthly-fee: 3000
                tiers:
                  - per-1000: "12.5"
            """)
        let invoice = InvoiceBuilder(rates: rates).invoice(Self.month(calls: 1_234))
        #expect(Self.amounts(invoice) == ["monthly fee 1 3000", "tier 1 1234 15"])
        #expect(Money.text(invoice.amount, currency: invoice.currency) == "3015")
    }

    @Test func aThreeDecimalCurrencyKeepsThreeDigits() throws {
        // 12,345 × 0.0375/1000 = 0.4629375 → 0.463 dinar.
        let rates = try Self.card(
            """
            currency: BHD
            default-plan: p
            plans:
              p:
                tiers:
                  - per-1000: "0.0375"
            """)
        let invoice = InvoiceBuilder(rates: rates).invoice(Self.month(calls: 12_345))
        #expect(Self.amounts(invoice) == ["tier 1 12345 0.463"])
        #expect(Money.text(invoice.lines[0].unitPrice, currency: invoice.currency) == "0.0375")
    }

    @Test func halfUpAndHalfEvenPartOnAHalfCent() throws {
        // 500 calls (none included) × 0.25/1000 = 0.125: exactly half a cent.
        func amount(_ calls: Int, _ rounding: String) throws -> String {
            let rates = try Self.card(
                """
                currency: USD
                rounding: \(rounding)
                default-plan: p
                plans:
                  p:
                    tiers:
                      - per-1000: "0.25"
                """)
            let invoice = InvoiceBuilder(rates: rates).invoice(Self.month(calls: calls))
            return Money.text(invoice.amount, currency: invoice.currency)
        }
        #expect(try amount(500, "half-up") == "0.13")
        #expect(try amount(500, "half-even") == "0.12")
        // 540 × 0.25/1000 = 0.135: the even digit is 4 either way.
        #expect(try amount(540, "half-up") == "0.14")
        #expect(try amount(540, "half-even") == "0.14")
    }

    @Test func customersGetTheirOwnPlanOrTheDefault() throws {
        let rates = try Self.card(
            """
            currency: USD
            default-plan: small
            plans:
              small: { monthly-fee: "10" }
              big: { monthly-fee: "1000" }
            customers:
              "Acme Capital": big
            """)
        #expect(InvoiceBuilder(rates: rates).invoice(Self.month(calls: 1, label: "Acme Capital")).amount == 1000)
        #expect(InvoiceBuilder(rates: rates).invoice(Self.month(calls: 1, label: "Other")).amount == 10)
    }

    @Test func moneyTextIsExact() {
        #expect(Money.text(Decimal(string: "250")!, digits: 2) == "250.00")
        #expect(Money.text(Decimal(string: "0.05")!, digits: 2) == "0.05")
        #expect(Money.text(Decimal(string: "-3.5")!, digits: 2) == "-3.50")
        #expect(Money.text(Decimal(string: "12345678901234567890.12")!, digits: 2) == "12345678901234567890.12")
        #expect(Money.parse("0.40") == Decimal(string: "0.40"))
        for bad in ["", ".5", "5.", "1e3", "1,000", "+1", "0x10", " 1", "1.2.3"] { #expect(Money.parse(bad) == nil) }
    }
}
