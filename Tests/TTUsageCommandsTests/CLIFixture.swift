import Foundation
import Subprocess
import SystemPackage
import TTIDSandbox
import Testing

/// Runs the built `ttusage` binary as a child process and gives back its exit code and output.
enum CLI {
    struct Run {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    /// The `ttusage` executable beside the test bundle.
    static var binary: URL {
        get throws {
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<3 {
                let candidate = directory.appendingPathComponent("ttusage")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
            let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/ttusage")
            guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
                throw CLIError(message: "the ttusage binary was not built beside the tests")
            }
            return fallback
        }
    }

    struct CLIError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The most output a run may print on each stream; more is an error of the test.
    static let outputLimit = 64 << 20

    /// Runs the binary to its end. Subprocess reads the pipes and waits for the exit on threads of its own, so no
    /// thread of the cooperative pool blocks while the child talks to an in-process sandbox.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil
    ) async throws -> Run {
        var overrides: [Environment.Key: String?] = [
            "TT_APP_KEY": nil, "TT_APP_SECRET": nil,
            "XDG_DATA_HOME": FileManager.default.temporaryDirectory
                .appendingPathComponent("ttusage-xdg-\(UUID().uuidString)").path,
        ]
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = .some(value) }
        let result = try await Subprocess.run(
            .path(FilePath(try binary.path)), arguments: Arguments(arguments),
            environment: .inherit.updating(overrides), workingDirectory: directory.map { FilePath($0.path) },
            input: .none, output: .data(limit: outputLimit), error: .data(limit: outputLimit))
        return Run(
            code: code(result.terminationStatus),
            stdout: String(decoding: result.standardOutput, as: UTF8.self),
            stderr: String(decoding: result.standardError, as: UTF8.self))
    }

    /// The exit code, or 128 + the signal that ended the child, as a shell gives it.
    static func code(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    /// Starts the binary and returns the running process (output discarded), for tests that kill it.
    static func start(_ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static var demoEnvironment: [String: String] {
        let credential = SandboxConfiguration.demoCredential
        return ["TT_APP_KEY": credential.appKey, "TT_APP_SECRET": credential.secret]
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ttusage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    /// The sample manifest of the repository.
    static var sampleManifest: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/keys.csv")
    }

    static func files(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }
}
