import Foundation
import HookgateCore
import HookgateStore
import NIOCore
import Testing

@testable import HookgateDelivery

/// The bytes of one forward's request.
struct UpstreamRequestEncoderTests {
    /// The request line, the shared headers, the delivery's headers, the signature's, `Content-Length`, then
    /// the body, byte for byte.
    @Test func encodesTheWholeRequest() throws {
        let lease = UpstreamClientTests.lease()
        let message = OutboundMessage(contentType: "application/cloudevents+json", body: Data("{}".utf8))
        let bytes = try UpstreamRequestEncoder(requestPath: "/events").encode(
            message,
            of: lease.record,
            attempt: 3,
            signature: ["webhook-id": "hookgate-42-0"]
        )
        #expect(
            String(buffer: bytes)
                == "POST /events HTTP/1.1\r\nHost: localhost\r\nUser-Agent: hookgate\r\n"
                + "Content-Type: application/cloudevents+json\r\nHookgate-Delivery-Id: 42\r\nHookgate-Attempt: 3\r\n"
                + "Hookgate-Endpoint: stripe\r\nHookgate-Received-At: 1764000001234\r\nwebhook-id: hookgate-42-0\r\n"
                + "Content-Length: 2\r\n\r\n{}"
        )
    }

    /// A content type with a line break would split the head: it is refused, not sent.
    @Test func refusesAHeaderValueWithALineBreak() {
        let message = OutboundMessage(contentType: "application/json\r\nX-Injected: 1", body: Data())
        #expect(throws: UpstreamTransportError.invalidHeaderValue(name: "Content-Type")) {
            try UpstreamRequestEncoder(requestPath: "/events").encode(
                message,
                of: UpstreamClientTests.lease().record,
                attempt: 1,
                signature: nil
            )
        }
    }
}
