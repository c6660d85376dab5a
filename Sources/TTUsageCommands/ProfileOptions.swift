import ArgumentParser

/// `--config` and `--profile`: defaults from a configuration file.
struct ProfileOptions: ParsableArguments {
    @Option(help: "A configuration file (default: $XDG_CONFIG_HOME/ttusage/config.yaml).")
    var config: String?

    @Option(help: "A profile of the configuration file; options given on the command line override it.")
    var profile: String?

    func load() throws -> Profile? { try ConfigurationFile.profile(named: profile, configPath: config) }
}
