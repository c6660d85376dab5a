import ArgumentParser
import TTIDSandbox
import UsageCore

// `--plan free|low|medium|high`: the parser checks the value (in any case) and lists the plans in its error.
extension UsagePlanTier: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}

// `ttusage sandbox --shape values|items|envelope`.
extension KeyUsageShape: ExpressibleByArgument {}
