import UsageAnalysis
import Yams

extension RateCardParser {
    private static let customerKeys = ["plan", "email", "cc", "name"]

    /// A customer written as a mapping, `{plan: enterprise, email: "ap@acme.example", cc: [...], name: "..."}`:
    /// its plan (`nil`: the default plan) and who receives its statement. A malformed address names its line.
    func customerEntry(_ label: String, _ mapping: Node.Mapping, plans: [String: RateCard.Plan]) throws
        -> (plan: String?, recipient: StatementRecipient)
    {
        let place = "customer \"\(label)\""
        let fields = try entries(of: mapping, allowed: Self.customerKeys, in: place)
        var plan: String?
        if let node = fields["plan"] {
            let name = try text(node, "the plan of \"\(label)\"")
            guard plans[name] != nil else { throw unknownPlan(name, node, plans) }
            plan = name
        }
        var recipient = StatementRecipient()
        if let node = fields["email"] { recipient.email = try address(node, "the email of \(place)") }
        if let node = fields["cc"] {
            let items: [Node]
            switch node {
            case let .sequence(sequence): items = Array(sequence)
            case .scalar: items = [node]
            default: throw fail(node, "the cc of \(place) must be an address or a list of addresses")
            }
            recipient.cc = try items.map { try address($0, "a cc of \(place)") }
        }
        if let node = fields["name"] {
            let name = try text(node, "the name of \(place)")
            guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw fail(node, "the name of \(place) holds a control character")
            }
            recipient.name = name
        }
        if recipient.email == nil, !recipient.cc.isEmpty {
            throw fail(fields["cc"], "\(place) has a cc but no email to send the statement to")
        }
        return (plan, recipient)
    }

    private func address(_ node: Node, _ what: String) throws -> String {
        let value = try text(node, what)
        guard MailAddress.isValid(value) else {
            throw fail(node, "\(what) \"\(value)\" is not an e-mail address (local@domain.example, ASCII)")
        }
        return value
    }
}
