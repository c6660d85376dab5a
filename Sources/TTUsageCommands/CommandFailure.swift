import ArgumentParser
import Foundation
import TTID
import UsageCore
import UsageReports

/// Runs a command body, turning every error into one line on standard error and the exit code of the contract.
enum CommandFailure {
    static func run(_ body: () async throws -> Int32) async throws {
        try await run(body, finally: { _, _ in })
    }

    /// As ``run(_:)``, and `finally` hears the exit code (with the error line the user saw, when there was one)
    /// before the process exits.
    static func run(_ body: () async throws -> Int32, finally: (Int32, String?) async -> Void) async throws {
        let code: Int32
        do {
            code = try await body()
        } catch let exit as ExitCode {
            await finally(exit.rawValue, nil)
            throw exit
        } catch let clean as CleanExit {
            throw clean
        } catch {
            let (category, message) = describe(error)
            StandardError.line("ttusage: error: \(message)")
            await finally(category.code, message)
            throw ExitCode(category.code)
        }
        await finally(code, nil)
        if code != 0 { throw ExitCode(code) }
    }

    /// The exit category and the user's line for any error the tool can meet.
    static func describe(_ error: any Error) -> (ExitCategory, String) {
        switch error {
        case let error as any CategorizedError:
            return (error.category, error.description)
        case let error as TTIDConfigurationError:
            return (.usage, error.description)
        case let error as TTIDError:
            switch error.kind {
            case .credentialsRefused: return (.noPermission, "the service refuses the credentials: \(error)")
            case .quotaExceeded: return (.tempFail, "the daily quota is spent (resets at 00:00 UTC): \(error)")
            case .transient: return (.unavailable, "the service cannot be reached or keeps failing: \(error)")
            case .refused, .failStatus: return (.unavailable, "the service refused the call: \(error)")
            }
        case let error as CocoaError where error.isFileError:
            // Foundation's own words are "NSCocoaErrorDomain error 512": say which file and why, plainly.
            let path = error.filePath ?? error.url?.path ?? "a file"
            let reading = error.code.rawValue < CocoaError.Code.fileWriteUnknown.rawValue
            return (reading ? .noInput : .cantCreate, "\(path): \(ReportError.plain(error, path: path))")
        default:
            return (.unavailable, String(describing: error))
        }
    }
}

/// Writes lines to standard error.
enum StandardError {
    static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var isTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) == 1 }

    /// The terminal's width: `COLUMNS` when set, else the width of the terminal on standard error; `nil` when
    /// neither says.
    static var columns: Int? {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let value = Int(text), value > 0 {
            return value
        }
        var size = winsize()
        guard ioctl(FileHandle.standardError.fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
            return nil
        }
        return Int(size.ws_col)
    }
}
