import ArgumentParser
import TTID

// `--environment ext_uat_cert|ext_prod_live`: the parser checks the value and lists both in its error and help.
extension TTEnvironment: ExpressibleByArgument {}

extension TTEnvironment {
    /// The environment of `--environment`, else of the profile's `environment:`, else UAT.
    ///
    /// - Throws: `TTIDConfigurationError` (bad usage, 64) when the profile names no ttid environment.
    static func resolve(_ option: TTEnvironment?, profile: String?) throws -> TTEnvironment {
        if let option { return option }
        guard let name = profile else { return .uat }
        guard let environment = TTEnvironment(rawValue: name) else {
            throw TTIDConfigurationError(
                option: "environment (profile)", message: "\"\(name)\" is not ext_uat_cert or ext_prod_live")
        }
        return environment
    }
}
