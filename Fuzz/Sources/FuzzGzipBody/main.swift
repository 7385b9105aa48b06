import FuzzDriver
import FuzzIngressSupport
import Glibc

/// The bounded gzip decoding of request bodies: any bytes as the body of a signed request with
/// `content-encoding: gzip`, framed by its length or (first byte odd) chunked. Decoding may refuse (400, 413
/// for a ratio over the limit), never crash or grow without bound; a body that decodes is then checked like
/// any other (its signature, made over the compressed bytes, does not verify).
exit(
    runFuzzer { data, count in
        let input = Array(UnsafeBufferPointer(start: data, count: count))
        let chunked = input.first.map { $0 & 1 == 1 } ?? false
        let body = Array(input.dropFirst())
        var head = "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        head += "content-encoding: gzip\r\nstripe-signature: \(FuzzedIngress.signature(for: body))\r\n"
        let bytes: [UInt8]
        if chunked {
            let half = body.count / 2
            let chunks = [body[..<half], body[half...]].filter { !$0.isEmpty }
            bytes =
                Array((head + "transfer-encoding: chunked\r\n\r\n").utf8)
                + chunks.flatMap { Array("\(String($0.count, radix: 16))\r\n".utf8) + $0 + Array("\r\n".utf8) }
                + Array("0\r\n\r\n".utf8)
        } else {
            bytes = Array((head + "content-length: \(body.count)\r\n\r\n").utf8) + body
        }
        FuzzedIngress.run(bytes, cuts: [bytes.count / 3])
        return 0
    }
)
