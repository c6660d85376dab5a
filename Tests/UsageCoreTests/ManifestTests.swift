import Foundation
import Testing

@testable import UsageCore

@Suite("Keys manifest")
struct ManifestTests {
    let key1 = "3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a01"
    let key2 = "9C4E2A7B-1F3D-4B8E-A6C2-5D7F9E1B3C12"

    func parse(_ text: String) throws -> Manifest { try Manifest.parse(Data(text.utf8), name: "keys.csv") }

    @Test func readsKeysExactlyAsWritten() throws {
        let manifest = try parse("app_key,user_id,label\n\(key1),1,Acme\n\(key2),2,\n")
        #expect(
            manifest.keys == [
                KeyEntry(appKey: key1, userId: "1", label: "Acme"),
                KeyEntry(appKey: key2, userId: "2", label: ""),
            ])
    }

    @Test func bomCRLFQuotingBlankLinesAndExtraColumns() throws {
        let text =
            "\u{FEFF}label,app_key,extra,user_id\r\n\"Acme, \"\"Inc\"\"\nline 2\",\(key1),x,7\r\n\r\n,\(key2),,8\r\n"
        let manifest = try parse(text)
        #expect(manifest.keys.count == 2)
        #expect(manifest.keys[0].label == "Acme, \"Inc\"\nline 2")
        #expect(manifest.keys[1].userId == "8")
    }

    @Test func repeatedKeyIsWarnedOnceAndKeptOnce() throws {
        let manifest = try parse("app_key,user_id,label\n\(key1),1,a\n\(key1),1,b\n\(key1),1,c\n")
        #expect(manifest.keys.count == 1 && manifest.keys[0].label == "a")
        #expect(manifest.warnings.count == 1)
        #expect(manifest.warnings[0].contains("line 3"))
    }

    /// A key written again in upper case is the same key: the warning says so, names the user id and label kept,
    /// and the label of the repeat that is not used.
    @Test func aRepeatInAnotherCaseIsNamedWithWhatIsKept() throws {
        let manifest = try parse("app_key,user_id,label\n\(key1),1,a\n\(key1.uppercased()),2,b\n")
        #expect(manifest.keys.count == 1 && manifest.keys[0].appKey == key1)
        #expect(manifest.warnings.count == 1)
        let warning = manifest.warnings.first ?? ""
        #expect(warning.contains("line 3: app_key \(key1) repeats line 2"), "\(warning)")
        #expect(warning.contains("(user id 1, label \"a\")"), "\(warning)")
        #expect(warning.contains("another case (\(key1.uppercased()))"), "\(warning)")
        #expect(warning.contains("not used: line 3's user id 2, line 3's label \"b\""), "\(warning)")
    }

    @Test func badRowIsNamedByItsLine() {
        let error = #expect(throws: ManifestError.self) {
            try parse("app_key,user_id,label\n\(key1),1,a\n\n\"multi\nline\",2,b\nx,3,c\n")
        }
        #expect(error?.line == 4)
        #expect(error?.description == "keys.csv line 4: app_key \"multi\nline\" is not a TT application key")
        #expect(error?.category == .dataError)
        let x = #expect(throws: ManifestError.self) { try parse("app_key,user_id,label\n\(key1),1,a\nx,3,c\n") }
        #expect(x?.description == "keys.csv line 3: app_key \"x\" is not a TT application key")
    }

    @Test(arguments: [
        "", "app_key,user_id,label\n", "key,user,label\nx,1,a\n",
        "app_key,user_id,label\n3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a01,,a\n",
        "app_key,user_id,label\n3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a0g,1,a\n",
        "app_key,user_id,label\n\"3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a01,1,a\n",
        "app_key,user_id,label\n3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a01,1,a\"b\n",
    ])
    func malformedManifestsExit65(_ text: String) {
        let error = #expect(throws: ManifestError.self) { try parse(text) }
        #expect(error?.category == .dataError)
    }

    @Test func missingFileExits66() {
        let error = #expect(throws: ManifestError.self) { try Manifest.load(path: "/nonexistent/keys.csv") }
        #expect(error?.category == .noInput)
    }

    @Test func invalidUTF8Exits65() {
        let error = #expect(throws: ManifestError.self) {
            try Manifest.parse(Data([0x61, 0x70, 0xFF, 0xFE, 0x0A]), name: "keys.csv")
        }
        #expect(error?.category == .dataError)
    }

    @Test func hundredThousandRows() async throws {
        // CPU-bound: run on a GCD thread so the cooperative pool stays free for the tests that serve HTTP.
        let count = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            DispatchQueue.global().async {
                var text = "app_key,user_id,label\n"
                for index in 0..<100_000 {
                    text += String(format: "%08x-0000-4000-8000-%012x,%d,label %d\n", index, index, index, index)
                }
                continuation.resume(with: Result { try Manifest.parse(Data(text.utf8), name: "keys.csv").keys.count })
            }
        }
        #expect(count == 100_000)
    }
}

@Suite("Keys manifest: one key in two cases")
struct ManifestCaseTests {
    @Test func sameGUIDInAnotherCaseIsARepeat() throws {
        let text =
            "app_key,user_id,label\n3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a01,1,a\n3F2B8C1E-7D4A-4E6B-9A1C-2B5D8E0F1A01,1,b\n"
        let manifest = try Manifest.parse(Data(text.utf8), name: "keys.csv")
        #expect(manifest.keys.map(\.appKey) == ["3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a01"])
        #expect(manifest.warnings.count == 1)
    }
}
