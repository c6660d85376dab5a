import Foundation
import Testing
import UsageCore

@testable import UsageAnalysis
@testable import UsageReports
@testable import XLSXKit

/// The whole-number and text shortcuts of the figures agree with the `Decimal` arithmetic they stand for, on
/// populations of values rather than a chosen few.
@Suite struct ExactFiguresTests {
    /// SplitMix64: the same population on every run.
    struct Numbers {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// Numerators and denominators across the magnitudes reports see (a day's calls to a year of a key's calls,
    /// one day to many limits × days), ties on the rounding point, and products past 64 bits.
    static func pairs() -> [(Int, Int)] {
        var numbers = Numbers(state: 26)
        var pairs: [(Int, Int)] = [(0, 1), (1, 2), (5, 10), (1, 3), (2, 3), (12_345, 100_000), (Int.max / 3, 7)]
        let magnitudes = [10, 1_000, 100_000, 10_000_000, 1_000_000_000_000, 365_000_000_000_000]
        for _ in 0..<20_000 {
            let numerator = numbers.below(magnitudes[numbers.below(magnitudes.count)] + 1)
            let denominator = 1 + numbers.below(magnitudes[numbers.below(magnitudes.count)])
            pairs.append((numerator, denominator))
        }
        // Exactly halfway at four and at two places: (2k + 1) / (2 × 10^places).
        for _ in 0..<2_000 {
            let odd = 2 * numbers.below(1_000_000) + 1
            pairs.append((odd, 20_000))
            pairs.append((odd, 200))
        }
        return pairs
    }

    @Test func wholeNumberRatiosAreTheDecimalDivisionRounded() {
        var compared = 0
        for (numerator, denominator) in Self.pairs() {
            for places in [0, 2, 4] {
                let fast = ExactFigures.ratio(numerator, denominator, places: places)
                let decimal = ExactFigures.ratio(Decimal(numerator), Decimal(denominator), places: places)
                #expect(fast == decimal, "\(numerator) / \(denominator) to \(places) places")
                #expect(
                    ExactFigures.text(fast, places: places) == ExactFigures.text(decimal, places: places),
                    "\(numerator) / \(denominator) to \(places) places")
                compared += 1
            }
        }
        #expect(compared > 70_000)
        #expect(ExactFigures.ratio(7, 0, places: 4) == 0)
        #expect(ExactFigures.ratio(-1, 3, places: 4) == ExactFigures.ratio(Decimal(-1), Decimal(3), places: 4))
    }

    @Test func meanUtilisationOfOneLimitIsTheMeanOfTheDaysShares() {
        var numbers = Numbers(state: 7)
        for _ in 0..<2_000 {
            let limit = [5_000, 50_000, 1_000_000, 3][numbers.below(4)]
            var accumulator = UsageAccumulator()
            var calls = 0
            let days = 1 + numbers.below(400)
            for offset in 0..<days {
                let used = numbers.below(limit + 1)
                let day = DayUsage(
                    date: Day(ordinal: 20_000 + offset), used: used, remaining: limit - used, status: .ok)
                accumulator.add(day, threshold: 0.9)
                calls += used
            }
            // The Decimal formula: the calls over the limit, over the days.
            let share = Decimal(calls) / Decimal(limit)
            let expected = ExactFigures.ratio(share, Decimal(days), places: ExactFigures.fractionPlaces)
            #expect(accumulator.meanUtilisation == expected, "\(days) days of limit \(limit)")
        }
    }

    @Test func theWorkbookDoubleIsTheDoubleOfTheWrittenText() throws {
        var numbers = Numbers(state: 11)
        let currencies = try ["USD", "JPY", "BHD", "CLF"].map { try #require(CurrencyCode($0)) }
        for _ in 0..<5_000 {
            let significand = Decimal(numbers.below(2_000_000_000)) - 1_000_000_000
            let value = Decimal(sign: .plus, exponent: -numbers.below(7), significand: significand)
            for places in [2, 4] {
                #expect(
                    TableSheetWriter.double(value, places: places)
                        == Double(ExactFigures.text(value, places: places)), "\(value) to \(places) places")
            }
            for currency in currencies {
                #expect(
                    TableSheetWriter.double(value, currency: currency) == Double(Money.text(value, currency: currency)),
                    "\(value) \(currency)")
            }
        }
    }

    @Test(arguments: [
        ("plain", "plain"), ("_x", "_x"), ("a_x0041_b", "a_x005F_x0041_b"), ("_X0041_", "_X0041_"),
        ("__x00e9_", "__x005F_x00e9_"), ("x_", "x_"), ("é_x00E9_", "é_x005F_x00E9_"),
    ])
    func cellTextEscapesOnlyALiteralEscape(text: String, cell: String) {
        #expect(XLSXWorkbook.cellText(text) == cell)
    }
}
