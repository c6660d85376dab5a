// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ttusage",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex (CallGate, FetchProgress, Sandbox) needs macOS 15
    products: [
        .executable(name: "ttusage", targets: ["ttusage"]),
        .library(name: "TTID", targets: ["TTID"]),
        .library(name: "UsageCore", targets: ["UsageCore"]),
        .library(name: "UsageExport", targets: ["UsageExport"]),
        .library(name: "UsageAnalysis", targets: ["UsageAnalysis"]),
        .library(name: "UsageReports", targets: ["UsageReports"]),
        .library(name: "TTIDSandbox", targets: ["TTIDSandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"]), .brew(["libxlsxwriter"])]
        ),
        .target(
            name: "TTID",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "UsageCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "UsageExport",
            dependencies: [
                "TTID",
                "UsageCore",
                "UsageStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "UsageStore",
            dependencies: [
                "UsageCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "UsageAnalysis",
            dependencies: ["UsageCore"]
        ),
        .target(
            name: "XLSXKit",
            dependencies: ["CXLSXWriter"]
        ),
        .target(
            name: "UsageReports",
            dependencies: [
                "UsageCore",
                "UsageAnalysis",
                "XLSXKit",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "TTIDSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "TTUsageCommands",
            dependencies: [
                "TTID",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                "UsageCore",
                "UsageExport",
                "UsageAnalysis",
                "UsageReports",
                "UsageStore",
                "TTIDSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "ttusage",
            dependencies: ["TTUsageCommands"]
        ),
        .target(
            name: "TTUsageTestSupport",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/TTUsageTestSupport"
        ),
        .testTarget(
            name: "TTIDSandboxTests",
            dependencies: [
                "TTIDSandbox",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TTIDTests",
            dependencies: [
                "TTID", "TTIDSandbox",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "UsageCoreTests",
            dependencies: [
                "UsageCore", "UsageExport", "UsageStore", "TTID", "TTIDSandbox",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            exclude: ["FuzzRegressions"]
        ),
        .testTarget(
            name: "UsageStoreTests",
            dependencies: [
                "UsageStore", "UsageCore", "TTID", "TTIDSandbox",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "UsageReportsTests",
            dependencies: [
                "TTUsageTestSupport",
                "UsageReports", "UsageAnalysis", "UsageCore", "XLSXKit",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(
            name: "TTUsageCommandsTests",
            dependencies: [
                "TTUsageTestSupport",
                "TTUsageCommands", "TTIDSandbox", "UsageCore", "UsageExport", "UsageStore", "UsageAnalysis",
                "UsageReports",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
    ]
)
