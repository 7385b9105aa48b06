// swift-tools-version:6.1
import PackageDescription

// libFuzzer harnesses for the parsers of untrusted bytes in HookgateCore and for the ingress's HTTP handlers in
// HookgateServer, a package of their own (like
// `Benchmarks/`) so that the product's build and CI never compile with the fuzzer's instrumentation.
// Build and run them with `Fuzz/run` (see README.md): it adds coverage instrumentation, AddressSanitizer and
// libFuzzer's runtime.
//
// Each harness is an executable whose `main.swift` hands one closure to libFuzzer (`FuzzDriver`).

let harness: [Target.Dependency] = ["FuzzDriver", .product(name: "HookgateCore", package: "Hookgate")]

let package = Package(
    name: "HookgateFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Hookgate", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Starts libFuzzer (LLVMFuzzerRunDriver) on a harness's closure.
        .target(name: "FuzzDriver"),
        // The ingress's one-pass reader of an event's id, type, created and livemode.
        .executableTarget(name: "FuzzEventEnvelope", dependencies: harness),
        // The strict JSON parser, and its serializer: what it parses serializes and parses back the same.
        .executableTarget(name: "FuzzJSONValueParser", dependencies: harness),
        // Differential: the envelope reader against the strict parser, on the four members it reads.
        .executableTarget(name: "FuzzEnvelopeDifferential", dependencies: harness),
        // The Stripe-Signature header and the body, through the scheme's verification.
        .executableTarget(name: "FuzzStripeSignature", dependencies: harness),
        // Differential: the Stripe-Signature header against models of the official SDKs' rules.
        .executableTarget(name: "FuzzSignatureDifferential", dependencies: harness),
        // The Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature) and the body.
        .executableTarget(name: "FuzzStandardWebhooks", dependencies: harness),
        // The Stripe event normalizer, with the default options.
        .executableTarget(name: "FuzzNormalizer", dependencies: harness),
        // The configuration reader.
        .executableTarget(name: "FuzzConfiguration", dependencies: harness),
        // The ingress's HTTP handlers on an EmbeddedChannel (HookgateServer, built with -enable-testing).
        .target(
            name: "FuzzIngressSupport",
            dependencies: [
                .product(name: "HookgateServer", package: "Hookgate"),
                .product(name: "HookgateStore", package: "Hookgate"),
                .product(name: "HookgateCore", package: "Hookgate"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Raw bytes on one ingress connection, some after a validly signed request.
        .executableTarget(name: "FuzzIngress", dependencies: ["FuzzDriver", "FuzzIngressSupport"]),
        // Any bytes as a gzip request body.
        .executableTarget(name: "FuzzGzipBody", dependencies: ["FuzzDriver", "FuzzIngressSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
