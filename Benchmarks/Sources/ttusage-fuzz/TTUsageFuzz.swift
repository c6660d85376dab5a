// ttusage-fuzz: the manifest reader, the keyusage body parser, the template reader and the report.json reader
// under libFuzzer.
//
// Built two ways from the same files:
//
//   * normally (`swift build`): a replayer. `ttusage-fuzz TARGET PATH…` feeds each file (each file of a directory)
//     to TARGET (`manifest`, `keyusage`, `template` or `report`) and prints how it fared; a crash is a bug.
//   * for fuzzing (`.ci/fuzz`): with `-D TTUSAGE_LIBFUZZER`, the address sanitizer and SanitizerCoverage, linked
//     with `libclang_rt.fuzzer_no_main`: `main` hands over to libFuzzer's driver, which calls
//     `LLVMFuzzerTestOneInput` below; `TTUSAGE_FUZZ_TARGET` picks the parser. (`-sanitize=fuzzer` alone cannot
//     be used: it links libFuzzer's own `main`, which clashes with the one SwiftPM gives every executable.)
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
        usage: ttusage-fuzz manifest|keyusage|template|report PATH…
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

#if TTUSAGE_LIBFUZZER
    /// libFuzzer's driver (`libclang_rt.fuzzer_no_main`): parses libFuzzer's options from the command line and
    /// fuzzes `callback`.
    @_extern(c, "LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
    ) -> CInt

    /// The entry point of the fuzzing build: hands the command line to libFuzzer.
    ///
    /// libFuzzer's own `main` cannot be used: SwiftPM links every Swift executable with `main` renamed to the
    /// module's entry point (`ttusage_fuzz_main`), so the executable must have one, and it calls the driver.
    @main
    enum FuzzerMain {
        static func main() {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv) { start, count in fuzzOneInput(start, count) })
        }
    }
#else
    /// The entry point of the normal build: the replayer.
    @main
    enum ReplayerMain {
        static func main() {
            exit(Replayer.main(Array(CommandLine.arguments.dropFirst())))
        }
    }
#endif
