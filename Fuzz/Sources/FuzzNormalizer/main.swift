import FuzzDriver
import Glibc
import HookgateCore

private let options = NormalizationOptions()

/// Normalizes any bytes as a stored Stripe event: an error or a skip is fine, a crash is not; what is
/// forwarded is one JSON object per event.
exit(
    runFuzzer { data, count in
        let bytes = Array(UnsafeBufferPointer(start: data, count: count))
        guard case .forward(let events)? = try? StripeEventNormalizer.normalize(body: bytes, options: options) else {
            return 0
        }
        for event in events {
            guard case .object? = try? JSONValueParser.parse(event.body) else {
                fatalError("a normalized event is no JSON object: \(String(decoding: event.body, as: UTF8.self))")
            }
        }
        return 0
    }
)
