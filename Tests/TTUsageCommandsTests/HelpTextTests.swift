import ArgumentParser
import Testing

@testable import TTUsageCommands

/// Each command's help as an 80-column terminal shows it: the discussion is wrapped by hand, so the parser
/// never breaks one of its lines in the middle, and every option's help line fits.
@Suite struct HelpTextTests {
    static let commands: [any ParsableCommand.Type] = [TTUsage.self] + TTUsage.configuration.subcommands

    @Test(arguments: 0..<commands.count)
    func theDiscussionIsPrintedLineForLineWithinEightyColumns(index: Int) {
        let command = Self.commands[index]
        let name = command._commandName
        let help = TTUsage.helpMessage(for: command, columns: 80)
        let printed = Set(help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        let discussion = command.configuration.discussion
        #expect(!discussion.isEmpty, "\(name) has no discussion")
        for line in discussion.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            #expect(line.count <= 80, "\(name): \(line.count) columns: \(line)")
            #expect(printed.contains(line), "\(name): the parser broke the line \(line.debugDescription)")
        }
        // Every other line of the help fits too, but the usage synopsis, which the parser never wraps.
        for line in help.split(separator: "\n") where !line.hasPrefix("USAGE:") {
            #expect(line.count <= 80, "\(name): \(line.count) columns: \(line)")
        }
    }
}
