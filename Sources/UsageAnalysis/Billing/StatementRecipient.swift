/// Who receives a customer's statement, from the customer's mapping entry in the rate card:
/// `"Acme Capital": {plan: enterprise, email: "ap@acme.example", cc: ["cfo@acme.example"], name: "Acme Capital Ltd"}`.
public struct StatementRecipient: Sendable, Hashable {
    /// The address the statement goes to (an RFC 5322 addr-spec); `nil` writes no statement.eml.
    public var email: String?
    /// Addresses copied in.
    public var cc: [String]
    /// What the statement and the subject call the customer; `nil` uses the customer's own name.
    public var name: String?

    public init(email: String? = nil, cc: [String] = [], name: String? = nil) {
        self.email = email
        self.cc = cc
        self.name = name
    }
}
