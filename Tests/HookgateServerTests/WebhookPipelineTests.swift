import Foundation
import HookgateCore
import HookgateServer
import HookgateStore
import Prometheus
import Testing

/// The request pipeline over real TLS on 127.0.0.1, with a real SQLite store.
///
/// Its time limit is three minutes, not one: in the full suite on two cores, `thousandRequestsOnOneConnection`'s
/// 1,000 fsynced commits in a row share the disk with the crash and backlog tests and took 64-72 s (6.5 s alone).
@Suite(.timeLimit(.minutes(3)))
struct WebhookPipelineTests {
    /// A valid Stripe delivery is answered 200 once committed and stored byte for byte, with its headers.
    @Test func storesValidDeliveryByteExact() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_exact", padding: 1500)
            let signature = GatewayHarness.signature(for: body)
            try await client.post(
                body: body,
                headers: [
                    ("stripe-signature", signature), ("user-agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
                    ("request-id", "req_123"),
                ],
                contentType: "application/json; charset=utf-8"
            )
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == #"{"id":"evt_exact","duplicate":false}"#)
            #expect(response.headers["content-type"] == "application/json")
            let rows = try await gateway.stored(eventID: "evt_exact")
            try #require(rows.count == 1)
            let stored = rows[0].received
            #expect([UInt8](stored.body) == body)
            #expect(stored.endpoint == "stripe")
            #expect(stored.eventType == "payment_intent.succeeded")
            #expect(stored.eventCreated == Date(timeIntervalSince1970: 1_700_000_000))
            #expect(stored.headers.signature == signature)
            #expect(stored.headers.contentType == "application/json; charset=utf-8")
            #expect(stored.headers.userAgent == "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
            #expect(stored.headers.requestID == "req_123")
            #expect(stored.keyLabel == "current")
            #expect(stored.peerAddress?.hasPrefix("127.0.0.1:") == true)
            await client.close()
        }
    }

    /// A second copy of an event is answered `duplicate:true` and not stored again.
    @Test func duplicateIsAcknowledgedWithoutSecondRow() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_dup")
            let first = try await gateway.postSigned(client, body: body)
            let second = try await gateway.postSigned(client, body: body)
            #expect(first.body == #"{"id":"evt_dup","duplicate":false}"#)
            #expect(second.status == 200)
            #expect(second.body == #"{"id":"evt_dup","duplicate":true}"#)
            #expect(try await gateway.stored(eventID: "evt_dup").count == 1)
            await client.close()
        }
    }

    /// Requests that fail an HTTP check get the documented status and code, and nothing is stored.
    @Test(
        arguments: [
            ("GET", "/webhooks/stripe", "application/json", nil, 405, "method_not_allowed"),
            ("POST", "/webhooks/other", "application/json", nil, 404, "not_found"),
            ("POST", "/webhooks/stripe", "text/plain", nil, 415, "unsupported_media_type"),
            ("POST", "/webhooks/stripe", "application/jsonx", nil, 415, "unsupported_media_type"),
            ("POST", "/webhooks/stripe", "application/json", "br", 415, "unsupported_media_type"),
        ] as [(String, String, String, String?, Int, String)]
    )
    func rejectsByHTTPChecks(
        method: String,
        path: String,
        contentType: String,
        encoding: String?,
        status: Int,
        code: String
    ) async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_http_checks")
            var head = "\(method) \(path) HTTP/1.1\r\nhost: x\r\ncontent-type: \(contentType)\r\n"
            head += "content-length: \(body.count)\r\nstripe-signature: \(GatewayHarness.signature(for: body))\r\n"
            if let encoding { head += "content-encoding: \(encoding)\r\n" }
            try await client.send(Array((head + "\r\n").utf8) + body)
            let response = try await client.readResponse()
            #expect(response.status == status)
            #expect(response.errorCode == code)
            #expect(response.headers["content-type"] == "application/json")
            // The connection stays usable after a rejection whose body was read.
            let ok = try await gateway.postSigned(client, body: GatewayHarness.event())
            #expect(ok.status == 200)
            #expect(try await gateway.stored(eventID: "evt_http_checks").isEmpty)
            await client.close()
        }
    }

    /// A missing Content-Type is 415.
    @Test func missingContentTypeIsUnsupported() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event()
            try await client.post(
                body: body,
                headers: [("stripe-signature", GatewayHarness.signature(for: body))],
                contentType: nil
            )
            #expect(try await client.readResponse().errorCode == "unsupported_media_type")
            await client.close()
        }
    }

    /// A body over the endpoint's limit is 413 without being read, and the connection is closed.
    @Test func oversizedBodyIsRejected() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(padding: 70 * 1024)
            let response = try await gateway.postSigned(client, body: body)
            #expect(response.status == 413)
            #expect(response.errorCode == "payload_too_large")
            #expect(response.headers["connection"] == "close")
            #expect(try await client.waitForClose())
        }
    }

    /// A chunked body that grows over the limit is cut off at the limit with 413.
    @Test func oversizedChunkedBodyIsRejected() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let chunk = String(repeating: "a", count: 16 * 1024)
            var request = "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            request += "transfer-encoding: chunked\r\nstripe-signature: t=1,v1=00\r\n\r\n"
            try await client.send(request)
            for _ in 0..<5 {
                try await client.send("\(String(chunk.utf8.count, radix: 16))\r\n\(chunk)\r\n")
            }
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.errorCode == "payload_too_large")
        }
    }

    /// A peer another endpoint admits gets 403 from an endpoint whose allowed sources leave it out.
    @Test func sourceOutsideAllowedRangesIsForbidden() async throws {
        try await GatewayHarness.run(
            endpoints: [
                try GatewayHarness.endpoint(allowedSources: [AddressRange("10.0.0.0/8")!]),
                try GatewayHarness.endpoint(name: "open", path: "/webhooks/open"),
            ]
        ) { gateway in
            let client = try await gateway.connect()
            let response = try await gateway.postSigned(client, body: GatewayHarness.event(id: "evt_src"))
            #expect(response.status == 403)
            #expect(response.errorCode == "source_not_allowed")
            #expect(try await gateway.stored(eventID: "evt_src").isEmpty)
            await client.close()
        }
    }

    /// When every endpoint lists its allowed sources, a connection from elsewhere is closed at accept, before
    /// its TLS handshake, and counted; one from an allowed address is served.
    @Test func connectionFromNoAllowedSourceIsClosedBeforeTheHandshake() async throws {
        try await GatewayHarness.run(
            endpoints: [try GatewayHarness.endpoint(allowedSources: [AddressRange("10.0.0.0/8")!])]
        ) { gateway in
            let client = try await TestClient.connect(port: gateway.port)
            await #expect(throws: (any Error).self) { try await client.waitForHandshake() }
            let metrics = String(decoding: gateway.metrics.registry.emitToBuffer(), as: UTF8.self)
            #expect(metrics.contains(#"hookgate_connections_refused{reason="source_not_allowed"} 1"#))
        }
        try await GatewayHarness.run(
            endpoints: [try GatewayHarness.endpoint(allowedSources: [AddressRange("127.0.0.0/8")!])]
        ) { gateway in
            let client = try await gateway.connect()
            #expect(try await gateway.postSigned(client, body: GatewayHarness.event()).status == 200)
            await client.close()
        }
    }

    /// Signature failures map to 400 (missing, malformed) or 401 (mismatch, stale, expired key), and nothing
    /// is stored, whatever the body claims.
    @Test(
        arguments: [
            (nil, 400, "signature_missing"),
            ("garbage", 400, "signature_malformed"),
            ("wrong-secret", 401, "signature_mismatch"),
            ("stale", 401, "timestamp_outside_tolerance"),
        ] as [(String?, Int, String)]
    )
    func rejectsBadSignatures(variant: String?, status: Int, code: String) async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_badsig")
            let header: String? =
                switch variant {
                case nil: nil
                case "garbage": "not a signature"
                case "wrong-secret": GatewayHarness.signature(for: body, secret: "whsec_other")
                default: GatewayHarness.signature(for: body, timestamp: Int64(Date().timeIntervalSince1970) - 3600)
                }
            try await client.post(body: body, headers: header.map { [("stripe-signature", $0)] } ?? [])
            let response = try await client.readResponse()
            #expect(response.status == status)
            #expect(response.errorCode == code)
            #expect(try await gateway.stored(eventID: "evt_badsig").isEmpty)
            await client.close()
        }
    }

    /// A header value pasted with its own name in front is 400 `signature_malformed`, and the message says so.
    @Test func headerValueWithItsOwnNameIsExplained() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_named")
            let header = "Stripe-Signature: " + GatewayHarness.signature(for: body)
            try await client.post(body: body, headers: [("stripe-signature", header)])
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.errorCode == "signature_malformed")
            #expect(
                response.body.contains(#"the Stripe-Signature header value includes its own name"#),
                "\(response.body)"
            )
            await client.close()
        }
    }

    /// A signature made with an expired secret is 401 `secret_expired`.
    @Test func expiredSecretIsUnauthorized() async throws {
        let expired = LabelledSecret(
            label: "old",
            secret: Secret(GatewayHarness.secret),
            expiresAt: Int64(Date().timeIntervalSince1970) - 60
        )
        try await GatewayHarness.run(endpoints: [try GatewayHarness.endpoint(secrets: [expired])]) { gateway in
            let client = try await gateway.connect()
            let response = try await gateway.postSigned(client, body: GatewayHarness.event())
            #expect(response.status == 401)
            #expect(response.errorCode == "secret_expired")
            await client.close()
        }
    }

    /// A signed body that is no event is 400 `not_an_event`; a signed event of the wrong mode 400 `wrong_mode`.
    @Test func rejectsNonEventsAndWrongMode() async throws {
        try await GatewayHarness.run(endpoints: [try GatewayHarness.endpoint(expectedMode: .live)]) { gateway in
            let client = try await gateway.connect()
            let notEvent = try await gateway.postSigned(client, body: Array(#"{"object":"list","data":[]}"#.utf8))
            #expect(notEvent.status == 400)
            #expect(notEvent.errorCode == "not_an_event")
            let testMode = try await gateway.postSigned(
                client,
                body: GatewayHarness.event(id: "evt_mode", livemode: false)
            )
            #expect(testMode.status == 400)
            #expect(testMode.errorCode == "wrong_mode")
            let live = try await gateway.postSigned(client, body: GatewayHarness.event(id: "evt_live", livemode: true))
            #expect(live.status == 200)
            #expect(try await gateway.stored(eventID: "evt_mode").isEmpty)
            await client.close()
        }
    }

    /// When the store fails, answers turn into 503 with Retry-After, never 200.
    @Test func failingStoreAnswers503() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            #expect(try await gateway.postSigned(client, body: GatewayHarness.event()).status == 200)
            gateway.store.set(.failing(.storeUnavailable))
            let unavailable = try await gateway.postSigned(client, body: GatewayHarness.event(id: "evt_fail"))
            #expect(unavailable.status == 503)
            #expect(unavailable.errorCode == "store_unavailable")
            #expect(unavailable.headers["retry-after"] == "5")
            gateway.store.set(.failing(.storeOverloaded))
            let overloaded = try await gateway.postSigned(client, body: GatewayHarness.event(id: "evt_fail"))
            #expect(overloaded.status == 503)
            #expect(overloaded.errorCode == "store_overloaded")
            #expect(overloaded.headers["retry-after"] == "1")
            #expect(try await gateway.stored(eventID: "evt_fail").isEmpty)
            await client.close()
        }
    }

    /// 1,000 requests on one keep-alive connection are all answered and stored.
    @Test func thousandRequestsOnOneConnection() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            for index in 0..<1000 {
                let response = try await gateway.postSigned(client, body: GatewayHarness.event(id: "evt_ka_\(index)"))
                guard response.status == 200 else {
                    Issue.record("request \(index): \(response.status) \(response.body)")
                    return
                }
            }
            let counts = try await gateway.sqlite.countByState()
            #expect(counts.values.reduce(0, +) == 1000)
            await client.close()
        }
    }

    /// `Expect: 100-continue` (curl sends it for bodies over 1 KB) gets the interim answer, then the final one.
    @Test func expectContinueIsAnswered() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_expect", padding: 2000)
            var head = "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            head += "content-length: \(body.count)\r\nexpect: 100-continue\r\n"
            head += "stripe-signature: \(GatewayHarness.signature(for: body))\r\n\r\n"
            try await client.send(head)
            #expect(try await client.readInterimStatus() == 100)
            try await client.send(body)
            #expect(try await client.readResponse().status == 200)
            await client.close()

            // A request rejected from its head is answered at once, without waiting for the body.
            let rejected = try await gateway.connect()
            try await rejected.send(
                "POST /nowhere HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n"
                    + "expect: 100-continue\r\n\r\n"
            )
            #expect(try await rejected.readResponse().errorCode == "not_found")
            #expect(try await rejected.waitForClose())
        }
    }

    /// Pipelined requests sent in one write are answered in order.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            var bytes: [UInt8] = []
            for index in 0..<3 {
                let body = GatewayHarness.event(id: "evt_pipe_\(index)")
                var head = "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                head +=
                    "content-length: \(body.count)\r\nstripe-signature: \(GatewayHarness.signature(for: body))\r\n\r\n"
                bytes += Array(head.utf8) + body
            }
            try await client.send(bytes)
            for index in 0..<3 {
                #expect(try await client.readResponse().body == #"{"id":"evt_pipe_\#(index)","duplicate":false}"#)
            }
            await client.close()
        }
    }
}
