import Foundation

/// A rate card (`--rates FILE`): what each customer pays for a calendar month of calls, in one currency.
///
/// A customer is a manifest label (a key with an empty label is a customer of its own, named by its app key);
/// `customers` names its plan, and a customer not listed gets `defaultPlan`. `RateCardParser` reads the YAML.
public struct RateCard: Sendable, Hashable {
    /// How billable calls are priced across the tiers (Stripe's tiered pricing modes).
    public enum Pricing: String, Sendable, Hashable {
        /// Each tier prices the billable calls that fall inside it.
        case graduated
        /// Every billable call at the price of the tier the month's total falls in.
        case volume
    }

    /// One price step: the billable calls up to `upTo` (inclusive, counted from the first billable call of the
    /// month), priced per 1,000 calls. The last tier has no `upTo`.
    public struct Tier: Sendable, Hashable {
        public var upTo: Int?
        public var per1000: Decimal

        public init(upTo: Int?, per1000: Decimal) {
            self.upTo = upTo
            self.per1000 = per1000
        }
    }

    /// A plan: a monthly fee, calls included in it, and the tiers that price the calls above them.
    public struct Plan: Sendable, Hashable {
        public var name: String
        public var monthlyFee: Decimal
        public var includedCalls: Int
        public var pricing: Pricing
        /// In order of `upTo`; empty when the plan charges its fee alone.
        public var tiers: [Tier]

        public init(
            name: String, monthlyFee: Decimal = 0, includedCalls: Int = 0, pricing: Pricing = .graduated,
            tiers: [Tier] = []
        ) {
            self.name = name
            self.monthlyFee = monthlyFee
            self.includedCalls = includedCalls
            self.pricing = pricing
            self.tiers = tiers
        }
    }

    /// Where the card was read from (a path), for the report's options.
    public var source: String
    public var currency: CurrencyCode
    public var rounding: Money.Rounding
    public var defaultPlan: String
    public var plans: [String: Plan]
    /// Customer (manifest label) → plan name.
    public var customers: [String: String]
    /// Customer (manifest label) → who receives its statement, for customers written as a mapping.
    public var recipients: [String: StatementRecipient] = [:]

    public init(
        source: String, currency: CurrencyCode, rounding: Money.Rounding = .halfUp, defaultPlan: String,
        plans: [String: Plan], customers: [String: String] = [:]
    ) {
        self.source = source
        self.currency = currency
        self.rounding = rounding
        self.defaultPlan = defaultPlan
        self.plans = plans
        self.customers = customers
    }

    /// The plan of `customer`: its own, else the default (the parser proves both exist).
    public func plan(for customer: String) -> Plan {
        let name = customers[customer] ?? defaultPlan
        return plans[name] ?? plans[defaultPlan] ?? Plan(name: name)
    }
}
