import Foundation

/// `GET /healthcheckstatus`: a fixed picture of groups, services and components, all operational.
enum SandboxHealthEndpoint {
    /// The body for the environment the path names, stamped with `now`.
    static func body(environment: String, now: Date) -> SandboxJSON {
        func component(_ name: String) -> SandboxJSON {
            .object([("name", .string(name)), ("componentStatus", .string("Operational"))])
        }
        func service(_ name: String, _ components: [String]) -> SandboxJSON {
            .object([
                ("name", .string(name)),
                ("serviceStatus", .string("Operational")),
                ("components", .array(components.map(component))),
            ])
        }
        func group(_ name: String, _ services: [SandboxJSON]) -> SandboxJSON {
            .object([("name", .string(name)), ("services", .array(services))])
        }
        return .object([
            ("status", .string("Ok")),
            ("environment", .string(environment)),
            ("systemStatus", .string("Operational")),
            ("lastUpdatedTime", .string(now.formatted(.iso8601))),
            ("lastPage", .string("true")),
            (
                "groups",
                .array([
                    group(
                        "TT REST API",
                        [service("ttid", ["token", "keyusage"]), service("ttuser", ["users", "companies"])]
                    ),
                    group("Market Data", [service("Price Server", ["CME", "ICE", "Eurex"])]),
                    group("Order Routing", [service("Order Connector", ["CME", "ICE"])]),
                ])
            ),
        ])
    }
}
