/// The system status of `GET /healthcheckstatus`.
public struct HealthStatus: Hashable, Sendable {
    public struct Component: Hashable, Sendable {
        public var name: String
        public var status: String
    }

    public struct Service: Hashable, Sendable {
        public var name: String
        public var status: String
        public var components: [Component]
    }

    public struct Group: Hashable, Sendable {
        public var name: String
        public var services: [Service]
    }

    public var status: String
    public var environment: String
    public var systemStatus: String
    public var lastUpdatedTime: String
    public var groups: [Group]

    init(_ object: [String: JSONValue]) {
        status = object["status"]?.string ?? ""
        environment = object["environment"]?.string ?? ""
        systemStatus = object["systemStatus"]?.string ?? ""
        lastUpdatedTime = object["lastUpdatedTime"]?.string ?? ""
        groups = Self.list(object["groups"]).map { group in
            Group(
                name: group["name"]?.string ?? "",
                services: Self.list(group["services"]).map { service in
                    Service(
                        name: service["name"]?.string ?? "",
                        status: service["serviceStatus"]?.string ?? service["status"]?.string ?? "",
                        components: Self.list(service["components"]).map { component in
                            Component(
                                name: component["name"]?.string ?? "",
                                status: component["componentStatus"]?.string ?? component["status"]?.string ?? "")
                        })
                })
        }
    }

    private static func list(_ value: JSONValue?) -> [[String: JSONValue]] {
        guard case .array(let items) = value else { return [] }
        return items.compactMap(\.object)
    }
}
