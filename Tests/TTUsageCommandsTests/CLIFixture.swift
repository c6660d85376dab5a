import Foundation
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

    static func run(
        _ arguments: [String], environment: [String: String] = [:], inheritCredentials: Bool = false,
        directory: URL? = nil
    ) async throws -> Run {
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["TT_APP_KEY"] = nil
        env["TT_APP_SECRET"] = nil
        env["XDG_DATA_HOME"] =
            FileManager.default.temporaryDirectory.appendingPathComponent("ttusage-xdg-\(UUID().uuidString)").path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Blocking reads and waits run on GCD threads: on the cooperative pool they would starve the in-process
        // sandbox the child talks to.
        let (stdout, stderr) = await withCheckedContinuation {
            (continuation: CheckedContinuation<(Data, Data), Never>) in
            DispatchQueue.global().async {
                let group = DispatchGroup()
                nonisolated(unsafe) var errData = Data()
                group.enter()
                DispatchQueue.global().async {
                    errData = err.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                let outData = out.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: (outData, errData))
            }
        }
        return Run(
            code: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
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
