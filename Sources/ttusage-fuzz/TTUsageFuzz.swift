// ttusage-fuzz: the manifest reader, the keyusage body parser and the template reader under libFuzzer.
//
// Built two ways from the same files:
//
//   * normally (`swift build`): a replayer. `ttusage-fuzz TARGET PATH…` feeds each file (each file of a directory)
//     to TARGET (`manifest`, `keyusage` or `template`) and prints how it fared; a crash is a bug.
//   * for fuzzing (`.ci/fuzz`): with `-sanitize=fuzzer,address -parse-as-library -D TTUSAGE_LIBFUZZER`,
//     libFuzzer owns `main` and calls `LLVMFuzzerTestOneInput` below; `TTUSAGE_FUZZ_TARGET` picks the parser.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libFuzzer's entry point: one input, to the parser `TTUSAGE_FUZZ_TARGET` names.
///
/// Always returns 0 (libFuzzer reserves other values). An unset or unknown target stops the run at once rather
/// than fuzzing nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let target = FuzzTarget.fromEnvironment else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        FileHandle.standardError.write(Data("ttusage-fuzz: set \(FuzzTarget.environmentName)=\(names)\n".utf8))
        exit(64)
    }
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    _ = target.run(data)
    return 0
}

/// The replayer of the normal build: feeds saved inputs (a seed corpus, a crash libFuzzer wrote) to a parser.
enum Replayer {
    static let usage = """
        usage: ttusage-fuzz manifest|keyusage|template PATH…
        Feeds each file (each file of a directory) to the parser and prints how it fared.
        The target may come from \(FuzzTarget.environmentName) instead of the first argument.
        """

    /// Runs the replayer on the command line `arguments` (without the program name); returns the exit code.
    static func main(_ arguments: [String]) -> Int32 {
        var paths = arguments
        let target: FuzzTarget
        if let first = paths.first, let named = FuzzTarget(rawValue: first) {
            target = named
            paths.removeFirst()
        } else if let named = FuzzTarget.fromEnvironment {
            target = named
        } else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            return 64
        }
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            return 64
        }
        var unreadable = 0
        for path in paths.flatMap(files(at:)) {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot be read")
                unreadable += 1
                continue
            }
            print("\(path): \(target.run(data))")
        }
        return unreadable == 0 ? 0 : 66
    }

    /// `path` itself, or the files in it (not its folders, not recursive, sorted) when it is a directory.
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            .filter { file in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) && !isFolder.boolValue
            }
    }
}

#if !TTUSAGE_LIBFUZZER
    /// The entry point of the normal build. The fuzzing build has none: libFuzzer's own `main` drives
    /// `LLVMFuzzerTestOneInput`. (A `main.swift` cannot be used: its top-level code is an error under
    /// `-parse-as-library`, even inside an inactive `#if`.)
    @main
    enum ReplayerMain {
        static func main() {
            exit(Replayer.main(Array(CommandLine.arguments.dropFirst())))
        }
    }
#endif
