import Foundation
import UsageAnalysis
import UsageCore
import Yams

/// Reads a rate card's YAML into a `RateCard`, naming the file and the line of every problem (exit 65).
///
/// Money is taken from the scalar's own text (Yams keeps it as written), so it never passes through a float: a
/// quoted string (`"0.40"`) or a whole number (`250`). A plain `0.40` is refused, since every other YAML reader
/// would read it as a float.
struct RateCardParser {
    /// The file named in errors.
    let source: String

    private static let cardKeys = ["currency", "rounding", "default-plan", "plans", "customers"]
    private static let planKeys = ["monthly-fee", "included-calls", "pricing", "tiers"]
    private static let tierKeys = ["up-to", "per-1000"]

    func parse(_ document: String) throws -> RateCard {
        let root = try reading { () throws(YAMLProblem) in try YAMLReading.compose(document) }
        guard let root, case let .mapping(mapping) = root else {
            throw fail(root, "a rate card is a mapping with currency, default-plan and plans")
        }
        let settings = try entries(of: mapping, allowed: Self.cardKeys, in: "the rate card")
        guard let currencyNode = settings["currency"] else { throw fail(root, "missing `currency:` (ISO 4217)") }
        let code = try text(currencyNode, "currency")
        guard let currency = CurrencyCode(code) else {
            throw fail(currencyNode, "currency \"\(code)\" is not an ISO 4217 code (USD, EUR, JPY, …)")
        }
        var rounding = Money.Rounding.halfUp
        if let node = settings["rounding"] {
            let name = try text(node, "rounding")
            guard let value = Money.Rounding(rawValue: name) else {
                throw fail(node, "rounding \"\(name)\" is not half-up or half-even")
            }
            rounding = value
        }
        guard let plansNode = settings["plans"] else { throw fail(root, "missing `plans:` (a mapping of plans)") }
        guard case let .mapping(planNodes) = plansNode, !planNodes.isEmpty else {
            throw fail(plansNode, "`plans` must be a mapping of plan names to plans")
        }
        var plans: [String: RateCard.Plan] = [:]
        for (nameNode, body) in planNodes {
            let name = try text(nameNode, "a plan name")
            plans[name] = try plan(name, body)
        }
        guard let defaultNode = settings["default-plan"] else {
            throw fail(root, "missing `default-plan:` (the plan of a customer not listed)")
        }
        let defaultPlan = try text(defaultNode, "default-plan")
        guard plans[defaultPlan] != nil else { throw unknownPlan(defaultPlan, defaultNode, plans) }
        var customers: [String: String] = [:]
        var recipients: [String: StatementRecipient] = [:]
        if let node = settings["customers"] {
            guard case let .mapping(customerNodes) = node else {
                throw fail(node, "`customers` must map a manifest label to a plan name")
            }
            for (labelNode, planNode) in customerNodes {
                let label = try text(labelNode, "a customer label")
                if case let .mapping(fields) = planNode {
                    let entry = try customerEntry(label, fields, plans: plans)
                    customers[label] = entry.plan ?? defaultPlan
                    recipients[label] = entry.recipient
                    continue
                }
                let plan = try text(planNode, "the plan of \"\(label)\"")
                guard plans[plan] != nil else { throw unknownPlan(plan, planNode, plans) }
                customers[label] = plan
            }
        }
        var card = RateCard(
            source: source, currency: currency, rounding: rounding, defaultPlan: defaultPlan, plans: plans,
            customers: customers)
        card.recipients = recipients
        return card
    }

    private func plan(_ name: String, _ node: Node) throws -> RateCard.Plan {
        guard case let .mapping(mapping) = node else { throw fail(node, "plan \"\(name)\" must be a mapping") }
        let settings = try entries(of: mapping, allowed: Self.planKeys, in: "plan \"\(name)\"")
        var plan = RateCard.Plan(name: name)
        if let node = settings["monthly-fee"] { plan.monthlyFee = try money(node, "monthly-fee") }
        if let node = settings["included-calls"] { plan.includedCalls = try count(node, "included-calls") }
        if let node = settings["pricing"] {
            let mode = try text(node, "pricing")
            guard let pricing = RateCard.Pricing(rawValue: mode) else {
                throw fail(node, "pricing \"\(mode)\" is not graduated or volume")
            }
            plan.pricing = pricing
        }
        if let node = settings["tiers"] {
            guard case let .sequence(tierNodes) = node, !tierNodes.isEmpty else {
                throw fail(node, "`tiers` of plan \"\(name)\" must be a list of tiers")
            }
            for (index, tierNode) in tierNodes.enumerated() {
                guard case let .mapping(tierMapping) = tierNode else {
                    throw fail(tierNode, "tier \(index + 1) of plan \"\(name)\" must be a mapping")
                }
                let place = "tier \(index + 1) of plan \"\(name)\""
                let fields = try entries(of: tierMapping, allowed: Self.tierKeys, in: place)
                guard let priceNode = fields["per-1000"] else { throw fail(tierNode, "\(place) needs `per-1000`") }
                let tier = RateCard.Tier(
                    upTo: try fields["up-to"].map { try count($0, "up-to") }, per1000: try money(priceNode, "per-1000"))
                let isLast = index == tierNodes.count - 1
                if isLast, tier.upTo != nil {
                    throw fail(
                        fields["up-to"], "the last tier of plan \"\(name)\" has an up-to; it must price the rest")
                }
                if !isLast, tier.upTo == nil {
                    throw fail(tierNode, "\(place) needs `up-to` (only the last tier has none)")
                }
                if let upTo = tier.upTo, let previous = plan.tiers.last?.upTo, upTo <= previous {
                    throw fail(fields["up-to"], "\(place): up-to \(upTo) is not above the tier before's \(previous)")
                }
                if let upTo = tier.upTo, upTo < 1 { throw fail(fields["up-to"], "\(place): up-to must be at least 1") }
                plan.tiers.append(tier)
            }
        }
        return plan
    }

    // MARK: - Values

    func text(_ node: Node, _ what: String) throws -> String {
        try reading { () throws(YAMLProblem) in try YAMLReading.text(node, what) }
    }

    /// An amount from the scalar's original text: quoted decimal text, or a plain whole number.
    private func money(_ node: Node, _ what: String) throws -> Decimal {
        guard case let .scalar(scalar) = node else { throw fail(node, "\(what) must be an amount such as \"0.40\"") }
        let written = scalar.string
        if scalar.style == .plain, !written.allSatisfy({ ("0"..."9").contains($0) }) || written.isEmpty {
            throw fail(
                node,
                "\(what) \(written) must be written as a string (\"\(written)\") or a whole number, "
                    + "so that it is never read as a float")
        }
        guard let amount = Money.parse(written), amount >= 0 else {
            throw fail(
                node, "\(what) \"\(written)\" is not an amount (digits, an optional . and decimals, not negative)")
        }
        return amount
    }

    /// A whole number of calls, not negative.
    private func count(_ node: Node, _ what: String) throws -> Int {
        guard case let .scalar(scalar) = node, scalar.style == .plain, !scalar.string.isEmpty,
            scalar.string.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(scalar.string)
        else { throw fail(node, "\(what) must be a whole number of calls") }
        return value
    }

    func unknownPlan(_ name: String, _ node: Node, _ plans: [String: RateCard.Plan]) -> ReportError {
        fail(node, "unknown plan \"\(name)\" (plans: \(plans.keys.sorted().joined(separator: ", ")))")
    }

    func entries(of mapping: Node.Mapping, allowed: [String], in place: String) throws -> [String: Node] {
        try reading { () throws(YAMLProblem) in try YAMLReading.entries(of: mapping, allowed: allowed, in: place) }
    }

    func fail(_ node: Node?, _ problem: String) -> ReportError {
        ReportError.brokenRateCard(source: source, line: node?.mark?.line ?? 1, problem: problem)
    }

    /// `body`'s YAML problem as a broken rate card.
    private func reading<T>(_ body: () throws(YAMLProblem) -> T) throws(ReportError) -> T {
        do {
            return try body()
        } catch {
            throw ReportError.brokenRateCard(source: source, line: error.line ?? 1, problem: error.problem)
        }
    }
}
