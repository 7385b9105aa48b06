// swift-tools-version:6.1
import PackageDescription

// Hookgate's micro-benchmarks, a package of their own so that the product's build and CI never fetch
// the benchmark framework. Run from this folder: `swift package benchmark` (see README.md).
//
// ordo-one/benchmark runs every executable target whose folder sits directly in `Benchmarks/`
// (here `Benchmarks/Benchmarks/<Name>`); put plain executables and helpers under `Sources/`.

let package = Package(
    name: "HookgateBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Hookgate", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Bare OpenSSL HMAC-SHA256 calls, the baselines the Swift code is measured against.
        .target(
            name: "CHMACBaseline",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        // StripeSignatureScheme.verify against bare OpenSSL HMAC-SHA256 on a 2 KB payload (issue 2).
        .executableTarget(
            name: "SignatureVerification",
            dependencies: [
                "CHMACBaseline",
                .product(name: "HookgateCore", package: "Hookgate"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SignatureVerification",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // SQLite alone, called from C: the ceiling of any SQLite-backed store on this machine.
        .target(
            name: "CSQLiteCeiling",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // Durable 2 KB appends: group commit vs one transaction per append, p99 at 5,000/s, fsync, and
        // SQLite's own ceiling (issue 3). A plain executable: `swift run -c release StoreAppendBenchmark`.
        .executableTarget(
            name: "StoreAppendBenchmark",
            dependencies: ["CSQLiteCeiling", .product(name: "HookgateStore", package: "Hookgate")]
        ),
        // Fills a store with pending deliveries for delivery-vs-front-door.sh's drain run (issue 5).
        .executableTarget(
            name: "DeliveryBacklogFill",
            dependencies: [.product(name: "HookgateStore", package: "Hookgate")]
        ),
        // The reads behind the dashboard's pages on 1,000,000 deliveries, SQLite and PostgreSQL (issue 16); filled
        // and run by dashboard-queries.sh.
        .executableTarget(
            name: "DashboardQueriesBenchmark",
            dependencies: [.product(name: "HookgateStore", package: "Hookgate")]
        ),
        // NIO's own static 200 over TLS, the floor cpu-per-event.sh compares the gateway's 401 path with; with a
        // secret, plus Hookgate's signature check (issue 14).
        .executableTarget(
            name: "NIOStatic200",
            dependencies: [
                .product(name: "HookgateCore", package: "Hookgate"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // An HTTP/1.1 POST over a kept-alive Unix socket to a NIO server answering 200: the floor of one forward
        // and its acknowledgement, client and consumer apart (issue 14).
        .executableTarget(
            name: "UnixSocketExchangeFloor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
