import Foundation
import Testing
import UsageCore

@testable import UsageReports

@Suite struct JSONTests {
    static let schemaURL = TestData.repositoryRoot
        .appendingPathComponent("Sources/UsageReports/Resources/report.schema.json")

    private func validator() throws -> SchemaValidator {
        SchemaValidator(root: try JSONValue.parse(Data(contentsOf: Self.schemaURL)))
    }

    @Test(arguments: ReportTemplate.bundledNames)
    func reportJSONConformsToTheSchema(template: String) throws {
        let options = RenderOptions(template: try ReportTemplate.resolve(template))
        let document = try JSONValue.parse(ReportJSON.encode(TestData.dataset(), options: options))
        let problems = try validator().validate(document)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test func aPricedReportWithTheMonthBeforeConformsAndRoundTrips() throws {
        let dataset = try InvoiceReportTests.dataset()
        let card = try RateCardParser(source: "r.yaml").parse(InvoiceReportTests.rates)
        let options = RenderOptions(template: try ReportTemplate.resolve("monthly-billing"), rates: card)
        let data = try ReportJSON.encode(dataset, options: options)
        let document = try JSONValue.parse(data)
        let problems = try validator().validate(document)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        guard case let .object(members) = document else { return }
        #expect(members.contains { $0.key == "invoices" } && members.contains { $0.key == "previousMonth" })
        // render --input compares months as the export did: the month before comes back with the report.
        let decoded = try ReportJSON.decode(data)
        #expect(decoded.previous == dataset.previous)
        #expect(decoded == dataset)
        let again = ReportTables(decoded, options: options).invoices?.map(\.usage.previousCalls)
        #expect(again == ReportTables(dataset, options: options).invoices?.map(\.usage.previousCalls))
        #expect(again?.allSatisfy { $0 != nil } == true)
    }

    @Test func aPreviousMonthThatIsNotTheMonthBeforeIsInvalid() throws {
        var dataset = try InvoiceReportTests.dataset()
        dataset.previous?.range = DayRange(year: 2026, month: 8)!
        let data = try ReportJSON.encode(dataset)
        #expect(throws: ReportError.self) { try ReportJSON.decode(data) }
    }

    @Test func theValidatorCatchesWhatTheSchemaForbids() throws {
        let document = try JSONValue.parse(ReportJSON.encode(TestData.dataset()))
        guard case var .object(members) = document else {
            Issue.record("not an object")
            return
        }
        members.append((key: "extra", value: .null))
        if let index = members.firstIndex(where: { $0.key == "schemaVersion" }) {
            members[index].value = .number(2, isInteger: true)
        }
        members.removeAll { $0.key == "failures" }
        let problems = try validator().validate(.object(members))
        #expect(problems.contains { $0.contains("unexpected property extra") })
        #expect(problems.contains { $0.contains("missing failures") })
        #expect(problems.contains { $0.contains("$.schemaVersion") })
        let badDay = try JSONValue.parse(
            Data(#"{"date": "2026-1-1", "used": -1, "remaining": null, "status": "gone"}"#.utf8))
        let schema = try validator()
        let daySchema = try #require(schema.root["$defs"]?["dayUsage"])
        let dayProblems = schema.validate(badDay, against: daySchema)
        #expect(dayProblems.count == 3, "\(dayProblems)")
    }

    @Test func theDocumentHasTheContractLayout() throws {
        let document = try JSONValue.parse(ReportJSON.encode(TestData.dataset()))
        #expect(
            document.keys == [
                "schemaVersion", "toolVersion", "template", "generatedAt", "environment", "range", "keys", "failures",
                "tables", "options",
            ])
        #expect(document["schemaVersion"] == .number(1, isInteger: true))
        #expect(document["generatedAt"] == .string("2026-10-06T08:00:30Z"))
        #expect(document["range"]?["from"] == .string("2026-09-28"))
        #expect(document["range"]?["to"] == .string("2026-10-05"))
        let keys = document["keys"]?.array ?? []
        #expect(keys.count == 5)
        #expect(keys[1]["label"] == .string("=1+1"))
        #expect(
            keys[1]["days"]?[2]
                == (try JSONValue.parse(
                    Data(
                        #"{"date": "2026-09-30", "used": null, "remaining": null, "status": "missing"}"#.utf8))))
        #expect(keys[3]["status"] == .string("failed"))
        #expect(keys[3]["days"] == .array([]))
        #expect(
            document["failures"]
                == .array([
                    .object([
                        ("appKey", .string(TestData.failed.appKey)), ("userId", .string("u4")),
                        ("label", .string("Beta \"B\", Inc.")), ("reason", .string("E1001: Invalid application key")),
                    ])
                ]))
        #expect(document["tables"]?.array.compactMap { $0["id"]?.string } == ["summary", "calls-by-day"])
        #expect(document["options"]?[2]?["value"] == .string("=cmd|' /C calc'!A0"))
    }

    @Test func decodeOfEncodeIsTheSameDataset() throws {
        let dataset = TestData.dataset()
        let decoded = try ReportJSON.decode(ReportJSON.encode(dataset))
        // generatedAt is kept to the second.
        #expect(decoded == dataset)
        #expect(decoded.failures == dataset.failures)
    }

    /// report.json read back from another writer's layout (members in another order, other spacing, escapes)
    /// is the same dataset as from the layout ReportJSON.encode writes.
    @Test func anotherLayoutOfTheSameReportIsTheSameDataset() throws {
        let dataset = TestData.dataset()
        let encoded = try ReportJSON.encode(dataset)
        let object = try JSONSerialization.jsonObject(with: encoded)
        let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        let text = String(decoding: encoded, as: UTF8.self)
        let escaped = text.replacingOccurrences(of: #""status": "ok"}"#, with: #""status": "o\u006b"}"#)
        let spaced = text.replacingOccurrences(of: #"{"date": "#, with: #"{ "date" : "#)
        #expect(escaped != text && spaced != text)
        for variant in [sorted, pretty, Data(escaped.utf8), Data(spaced.utf8)] {
            #expect(try ReportJSON.decode(variant) == dataset)
        }
    }

    @Test(arguments: [
        (#""used": 100,"#, #""used": -100,"#, "keys[0].days[0].used: -100 is not a count"),
        (#""used": 100,"#, #""used": 10000000000000,"#, "keys[0].days[0].used: 10000000000000 is not a count"),
        (#""used": 100,"#, #""used": 1e2,"#, "keys[0].days[0].used: expected a whole number, found 1e2"),
        (#""status": "ok"}"#, #""status": "OK"}"#, "keys[0].days[0].status: \"OK\" is not ok"),
        (#""status": "ok"}"#, #""status": " ok"}"#, "keys[0].days[0].status: \" ok\" is not ok"),
    ])
    func aDayInTheWrittenLayoutIsCheckedAsAnyOther(good: String, bad: String, message: String) throws {
        let text = String(decoding: try ReportJSON.encode(TestData.dataset()), as: UTF8.self)
        let range = try #require(text.range(of: good), "no \(good) in the report")
        do {
            _ = try ReportJSON.decode(Data(text.replacingCharacters(in: range, with: bad).utf8))
            Issue.record("decoded \(bad)")
        } catch let error as ReportError {
            #expect(error.category == .dataError)
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func textOfAnyKindSurvivesTheRoundTrip() throws {
        var dataset = TestData.dataset()
        let label = "Ünïcødé 🚀 \"q\" \\ / \n\t\u{1}\u{7F} end"
        dataset.keys[0].key.label = label
        dataset.environment = "ext_\u{2028}uat"
        dataset.options.append((name: "é", value: ""))
        let data = try ReportJSON.encode(dataset)
        #expect(try JSONValue.parse(data)["keys"]?[0]?["label"] == .string(label))
        let decoded = try ReportJSON.decode(data)
        #expect(decoded == dataset)
        let escaped = Data(
            (#"{"schemaVersion": 1, "generatedAt": "2026-10-06T08:00:30.250+02:00", "#
                + #""environment": "\u00e9\ud83d\ude80\/", "#
                + #""range": {"from": "2026-10-01", "to": "2026-10-01"}, "keys": []}"#).utf8)
        let minimal = try ReportJSON.decode(escaped)
        #expect(minimal.environment == "é🚀/")
        #expect(minimal.generatedAt == TestData.day("2026-10-06").start.addingTimeInterval(6 * 3600 + 30.25))
        #expect(minimal.keys.isEmpty)
    }

    @Test func decodeOfEncodeRendersTheSameFiles() throws {
        let dataset = TestData.dataset()
        for name in ReportTemplate.bundledNames {
            let options = RenderOptions(template: try ReportTemplate.resolve(name))
            let first = try TestData.folder()
            let second = try TestData.folder()
            defer {
                TestData.remove(first)
                TestData.remove(second)
            }
            let renderer = ReportRenderer(options: options)
            let files = try renderer.render(dataset, to: first)
            let decoded = try ReportJSON.decode(Data(contentsOf: first.appendingPathComponent("report.json")))
            let again = try renderer.render(decoded, to: second)
            #expect(files.map(\.lastPathComponent) == again.map(\.lastPathComponent))
            for (a, b) in zip(files, again) {
                #expect(try Data(contentsOf: a) == Data(contentsOf: b), "\(name): \(a.lastPathComponent) differs")
            }
        }
    }

    @Test(arguments: [
        (#"{"schemaVersion": 2}"#, "schemaVersion 2 is not supported"),
        ("not json", "not valid JSON"),
        (#"{"schemaVersion": 1}"#, "missing"),
        (#"{"schemaVersion": "1"}"#, "schemaVersion: expected a number, found text"),
        (#"{"schemaVersion": 1, "keys": [}"#, "not valid JSON"),
        (#"{"schemaVersion": 1} trailing"#, "more after"),
    ])
    func invalidReportsAreDataErrors(text: String, message: String) throws {
        do {
            _ = try ReportJSON.decode(Data(text.utf8))
            Issue.record("decoded \(text)")
        } catch let error as ReportError {
            #expect(error.category == .dataError)
            #expect(error.description.hasPrefix("report.json: "))
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func inconsistentDaysAreDataErrorsWithTheirPlace() throws {
        let good = String(decoding: try ReportJSON.encode(TestData.dataset()), as: UTF8.self)
        let cases = [
            (
                good.replacingOccurrences(of: #""date": "2026-09-29""#, with: #""date": "2026-09-27""#),
                "keys[0].days[1]: date 2026-09-27, expected 2026-09-29"
            ),
            (
                good.replacingOccurrences(
                    of: #""used": null, "remaining": null, "status": "missing""#,
                    with: #""used": 3, "remaining": null, "status": "missing""#),
                "a missing day has no counts"
            ),
            (
                good.replacingOccurrences(of: #""used": 100,"#, with: #""used": "100","#),
                "keys[0].days[0].used: expected a number"
            ),
            (
                good.replacingOccurrences(of: #""failures": ["#, with: #""failures": [], "x": ["#),
                "failed but is not the next entry under failures"
            ),
        ]
        for (text, message) in cases {
            #expect(text != good)
            do {
                _ = try ReportJSON.decode(Data(text.utf8), source: "saved.json")
                Issue.record("decoded: \(message)")
            } catch let error as ReportError {
                #expect(error.category == .dataError)
                #expect(error.description.contains(message), "\(error)")
                #expect(error.description.hasPrefix("saved.json: "))
            }
        }
    }

    @Test func aMissingReportIsNoInput() throws {
        let folder = try TestData.folder()
        defer { TestData.remove(folder) }
        do {
            _ = try ReportJSON.read(from: folder.appendingPathComponent("report.json"))
            Issue.record("read a missing file")
        } catch let error as ReportError {
            #expect(error.category == .noInput)
            #expect(error.category.code == 66)
        }
        do {
            _ = try ReportJSON.read(from: folder)
            Issue.record("read a folder")
        } catch let error as ReportError {
            #expect(error.category == .noInput)
        }
    }
}
