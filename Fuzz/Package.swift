// swift-tools-version:6.1
import PackageDescription

// libFuzzer harnesses for the parsers of untrusted bytes in HookgateCore, a package of their own (like
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
        .package(name: "Hookgate", path: "..")
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
        // The Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature) and the body.
        .executableTarget(name: "FuzzStandardWebhooks", dependencies: harness),
        // The Stripe event normalizer, with the default options.
        .executableTarget(name: "FuzzNormalizer", dependencies: harness),
        // The configuration reader.
        .executableTarget(name: "FuzzConfiguration", dependencies: harness),
    ],
    swiftLanguageModes: [.v6]
)
