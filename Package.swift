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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
                "HookgateCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
