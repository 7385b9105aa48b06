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
        .library(name: "HookgateServer", targets: ["HookgateServer"]),
        .library(name: "HookgateEmulator", targets: ["HookgateEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // libcrypto from the system (Debian: libssl-dev), wrapped in static inline shims.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // One BoringSSL option NIOSSL has no setting for: the server's cipher order.
        .target(
            name: "CHookgateTLS",
            dependencies: [.product(name: "NIOSSL", package: "swift-nio-ssl")]
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
                "HookgateDelivery",
                "HookgateEmulator",
                "HookgateServer",
                "HookgateStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        // Durable delivery store: DeliveryStore protocol, SQLite and PostgreSQL backends with group commit.
        .target(
            name: "HookgateStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        // The delivery worker: claims stored deliveries and forwards them to the payment system's Unix socket.
        .target(
            name: "HookgateDelivery",
            dependencies: [
                "HookgateCore",
                "HookgateStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "HookgateDeliveryTests",
            dependencies: [
                "HookgateDelivery",
                "HookgateCore",
                "HookgateEmulator",
                "HookgateStore",
                "HookgateTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
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
                "HookgateTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        // The HTTPS ingress: TLS, HTTP/1.1, limits, the webhook pipeline, the admin listener, metrics, logs.
        .target(
            name: "HookgateServer",
            dependencies: [
                "CHookgateTLS",
                "HookgateCore",
                "HookgateStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "HookgateServerTests",
            dependencies: [
                "HookgateServer",
                "HookgateCore",
                "HookgateDelivery",
                "HookgateStore",
                "HookgateTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        // Test support shared by test targets: the catalog's JSON Schemas and a validator for them, streams
        // for child processes that no other child inherits, a stand-in payment system on a Unix socket, and a
        // gate to hold the worker's preparation at.
        .target(
            name: "HookgateTestSupport",
            dependencies: [
                "HookgateCore",
                "HookgateStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/HookgateTestSupport",
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "HookgateCoreTests",
            dependencies: ["HookgateCore", "HookgateTestSupport"],
            swiftSettings: strictSwiftSettings
        ),
        // `hookgate emulate`: a local stand-in for Stripe's API subset and its webhooks, to develop and test against.
        .target(
            name: "HookgateEmulator",
            dependencies: [
                "HookgateCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "HookgateEmulatorTests",
            dependencies: [
                "HookgateEmulator",
                "HookgateCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "HookgateCLITests",
            dependencies: [
                "hookgate", "HookgateCore", "HookgateStore", "HookgateTestSupport",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
