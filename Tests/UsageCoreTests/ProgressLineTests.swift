import Foundation
import Testing

@testable import UsageCore
@testable import UsageExport

/// The live progress line fits the terminal, so that each redraw replaces it; counts agree with their nouns.
@Suite("Progress line and counts")
struct ProgressLineTests {
    static let busy = FetchProgress.Snapshot(
        planned: 12_000, done: 4_321, retries: 120, failures: 3, elapsed: 1_234, throttles: 100, pacingRate: 7.25)

    @Test(arguments: [20, 40, 60, 79, 80, 120])
    func theLineNeverOutgrowsItsWidth(width: Int) {
        var waiting = Self.busy
        waiting.waitingUntil = Date(timeIntervalSince1970: 1_800_000_000)
        for snapshot in [Self.busy, waiting] {
            let line = snapshot.line(width: width)
            #expect(line.count <= width, "\(line)")
            #expect(line.hasPrefix("calls 4321/12000"), "\(line)")
        }
    }

    @Test func aWideTerminalShowsEveryPart() {
        let line = Self.busy.line(width: 200)
        #expect(line == Self.busy.line)
        #expect(line.contains("pacing 7.2/s") && line.contains("throttled 100") && line.contains("failures 3"))
    }

    /// At 80 columns the parts that say least go first; the count, the failures and the time left stay.
    @Test func eightyColumnsKeepWhatMattersMost() {
        let line = Self.busy.line(width: 79)
        #expect(line.contains("failures 3") && line.hasSuffix("left"), "\(line)")
        #expect(!line.contains("pacing"), "\(line)")
    }

    @Test func countsAgreeWithTheirNouns() {
        #expect(1.counted("file") == "1 file")
        #expect(2.counted("file") == "2 files")
        #expect(0.counted("day") == "0 days")
        #expect(1.counted("retry", "retries") == "1 retry" && 3.counted("retry", "retries") == "3 retries")
    }
}
