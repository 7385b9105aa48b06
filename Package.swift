// swift-tools-version:6.1
import PackageDescription

/// Strictness every Hookgate target is built with (as Hummingbird does).
let strictSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Hookgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hookgate", targets: ["hookgate"]),
        .library(name: "HookgateCore", targets: ["HookgateCore"]),
        .library(name: "HookgateStore", targets: ["HookgateStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // libcrypto from the system (Debian: libssl-dev), wrapped in static inline shims.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // Pure logic: HMAC, signature schemes, keyrings, diagnosis. No NIO, no I/O.
        .target(
            name: "HookgateCore",
            dependencies: ["COpenSSL"],
            swiftSettings: strictSwiftSettings
        ),
        // The command line.
        .executableTarget(
            name: "hookgate",
            dependencies: [
                "COpenSSL",
                "HookgateCore",
                "HookgateStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        // Durable delivery store: DeliveryStore protocol, SQLite backend with group commit.
        .target(
            name: "HookgateStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwiftSettings
        ),
        // Test support: a child process the store tests kill (crash test) or starve of disk space.
        .executableTarget(
            name: "HookgateStoreProbe",
            dependencies: ["HookgateStore"],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "HookgateStoreTests",
            dependencies: [
                "HookgateStore",
                "HookgateStoreProbe",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "HookgateCoreTests",
            dependencies: ["HookgateCore"],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "HookgateCLITests",
            dependencies: ["hookgate"],
            swiftSettings: strictSwiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
