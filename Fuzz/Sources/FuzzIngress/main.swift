import FuzzDriver
import FuzzIngressSupport
import Glibc

/// The whole ingress on raw bytes: its first byte chooses how the rest is sent, the next three where the reads
/// are cut. A quarter of the inputs are one validly signed request with the rest as its body, a quarter such a
/// request followed by fuzzed bytes on the same connection (pipelined), half raw bytes. Never a crash, and never
/// a request handed on for storing whose signature does not verify.
exit(
    runFuzzer { data, count in
        let input = Array(UnsafeBufferPointer(start: data, count: count))
        guard input.count >= 4 else {
            FuzzedIngress.run(input, cuts: [])
            return 0
        }
        let rest = Array(input[4...])
        let bytes: [UInt8]
        switch input[0] % 4 {
        case 0:
            bytes = FuzzedIngress.signedRequest(rest)
        case 1:
            let split = Int(input[1]) * rest.count / 256
            bytes = FuzzedIngress.signedRequest(Array(rest[..<split])) + rest[split...]
        default:
            bytes = rest
        }
        let cuts = input[1...3].map { Int($0) * bytes.count / 256 }
        FuzzedIngress.run(bytes, cuts: cuts)
        return 0
    }
)
