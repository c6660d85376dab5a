import ArgumentParser
import Foundation
import TTID
import UsageCore
import UsageReports

/// Runs a command body, turning every error into one line on standard error and the exit code of the contract.
enum CommandFailure {
    static func run(_ body: () async throws -> Int32) async throws {
        let code: Int32
        do {
            code = try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let clean as CleanExit {
            throw clean
        } catch {
            let (category, message) = describe(error)
            StandardError.line("ttusage: error: \(message)")
            throw ExitCode(category.code)
        }
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
}
