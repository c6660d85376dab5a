// swift-tools-version:6.0
import PackageDescription

// The benchmarks, the fuzzer and the C baseline of ttusage, kept apart so that the product's build and tests
// compile none of them. `.ci/bench` and `.ci/fuzz` build them from here.
let package = Package(
    name: "ttusage-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ttusage", path: "../")
    ],
    targets: [
        .executableTarget(
            name: "xlsx-baseline",
            linkerSettings: [.linkedLibrary("xlsxwriter")]
        ),
        .executableTarget(
            name: "ttusage-bench",
            dependencies: [
                .product(name: "UsageCore", package: "ttusage"),
                .product(name: "UsageAnalysis", package: "ttusage"),
                .product(name: "UsageReports", package: "ttusage"),
            ]
        ),
        .executableTarget(
            name: "ttusage-fetch-bench",
            dependencies: [
                .product(name: "TTIDSandbox", package: "ttusage"),
                .product(name: "UsageCore", package: "ttusage"),
                .product(name: "UsageExport", package: "ttusage"),
            ]
        ),
        .executableTarget(
            name: "ttusage-fuzz",
            dependencies: [
                .product(name: "TTID", package: "ttusage"),
                .product(name: "UsageCore", package: "ttusage"),
                .product(name: "UsageReports", package: "ttusage"),
            ]
        ),
    ]
)
