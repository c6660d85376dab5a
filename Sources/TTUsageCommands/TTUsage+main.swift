import ArgumentParser
import Foundation

extension TTUsage {
    /// Parses and runs a command; returns the process exit code.
    ///
    /// Parse errors are one line on standard error (not the usage screen), with the exit code 64.
    public static func runMain(_ arguments: [String]? = nil) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            let message =
                self.message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            StandardError.line("ttusage: error: \(message) (see ttusage --help)")
            return code.rawValue
        }
    }
}
