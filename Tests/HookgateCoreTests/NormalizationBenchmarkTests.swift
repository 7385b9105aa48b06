import Glibc
import HookgateCore
import Testing

/// A micro-benchmark, not a check: prints the time per `normalize` of the shared `payment_intent.succeeded`
/// fixture, the one-pass normalizer against the tree-based oracle, in wall-clock and in thread CPU time (the
/// figure to trust on a busy machine). It asserts nothing about timings. For
/// figures, run it alone in release: `swift test -c release --filter NormalizationBenchmarkTests` (20,000
/// iterations; debug builds run 200 to keep the suite fast).
@Suite("Normalization benchmark")
struct NormalizationBenchmarkTests {
    #if DEBUG
    private static let iterations = 200
    #else
    private static let iterations = 20_000
    #endif

    @Test func paymentIntentSucceededOldVersusNew() throws {
        let body = Fixtures.bytes("stripe-events/payment_intent.succeeded.json")
        let options = NormalizationOptions()
        let old = try Self.nanosecondsPerCall(body, options, OracleNormalizer.normalize)
        let new = try Self.nanosecondsPerCall(body, options, StripeEventNormalizer.normalize)
        print("normalize payment_intent.succeeded (\(body.count) bytes), \(Self.iterations) iterations:")
        print("  tree-based (old): \(old.wall) ns/op wall, \(old.cpu) ns/op CPU")
        print("  one-pass (new):   \(new.wall) ns/op wall, \(new.cpu) ns/op CPU")
    }

    /// The mean wall-clock and thread CPU time of one call of `normalize`, after a warm-up.
    private static func nanosecondsPerCall(
        _ body: [UInt8],
        _ options: NormalizationOptions,
        _ normalize: ([UInt8], NormalizationOptions) throws(NormalizationError) -> NormalizationOutcome
    ) throws -> (wall: Int64, cpu: Int64) {
        var forwarded = 0
        for _ in 0..<(Self.iterations / 10) {
            if case .forward(let events) = try normalize(body, options) { forwarded += events.count }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = Self.threadCPUNanoseconds()
        for _ in 0..<Self.iterations {
            if case .forward(let events) = try normalize(body, options) { forwarded += events.count }
        }
        let cpu = Self.threadCPUNanoseconds() - cpuStart
        let elapsed = start.duration(to: clock.now)
        #expect(forwarded == Self.iterations + Self.iterations / 10)
        let (seconds, attoseconds) = elapsed.components
        let wall = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        return (wall / Int64(Self.iterations), cpu / Int64(Self.iterations))
    }

    private static func threadCPUNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
