import Synchronization
import TTID
import UsageCore

/// The longest range the service accepts in one keyusage call, learnt from its refusals.
///
/// TT publishes neither that limit nor the wording of its refusal. A 400 whose message is about the date range
/// or a number of days ("Date range exceeds 30 days") is taken as the service's limit, not as a refusal of the
/// key: the chunk is cut to the number of days the message states (or, stating none, to half of what was asked)
/// and fetched again in pieces, and every later chunk is cut the same way before it is asked. Shared by the
/// calls of one run.
public final class RangeLimit: Sendable {
    private let learnt = Mutex<Int?>(nil)

    /// No limit known yet.
    public init() {}

    /// The longest range learnt so far, in days; `nil` while no range was refused.
    public var days: Int? { learnt.withLock { $0 } }

    /// `chunk` as consecutive pieces of at most the learnt limit (the chunk itself when none is known).
    func pieces(of chunk: DayRange) -> [DayRange] {
        guard let limit = days, chunk.count > limit else { return [chunk] }
        return chunk.chunks(of: limit)
    }

    /// Takes `error`, the answer to a range of `asked` days, as the service's range limit when it is one; returns
    /// the limit now in force, or `nil` when the error is not about the range (or a single day was refused).
    func learn(from error: TTIDError, asked: Int) -> Int? {
        guard asked > 1, error.status == 400, error.kind == .refused || error.kind == .failStatus,
            Self.isAboutTheRange(error.message)
        else { return nil }
        let stated = Self.statedDays(error.message).flatMap { $0 >= 1 && $0 < asked ? $0 : nil }
        let limit = stated ?? max(1, asked / 2)
        return learnt.withLock { known in
            let next = min(known ?? limit, limit)
            known = next
            return next
        }
    }

    /// Whether a refusal's message speaks of the date range or of a number of days.
    static func isAboutTheRange(_ message: String) -> Bool {
        let text = message.lowercased()
        return text.contains("range") || text.contains("number of days") || statedDays(message) != nil
    }

    /// The number of days a message states: the first whole number followed by "day" or "days".
    static func statedDays(_ message: String) -> Int? {
        let words = message.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        for (index, word) in words.enumerated() where index + 1 < words.count {
            guard let number = Int(word), words[index + 1].hasPrefix("day") else { continue }
            return number
        }
        return nil
    }
}
