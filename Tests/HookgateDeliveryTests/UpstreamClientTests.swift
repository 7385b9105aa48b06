import Foundation
import HookgateCore
import HookgateStore
import NIOCore
import NIOHTTP1
import Testing

@testable import HookgateDelivery

/// The upstream client against real Unix sockets: what it sends, how it keeps and caps its connections, and how
/// each transport failure is named.
@Suite(.timeLimit(.minutes(1)))
struct UpstreamClientTests {
    /// A lease of delivery 42 from endpoint `stripe`, received at a fixed time, with `messages`.
    static func lease(messages: [OutboundMessage] = []) -> DeliveryLease {
        let received = NewDelivery(
            endpoint: "stripe",
            eventID: "evt_1",
            eventType: "payment_intent.succeeded",
            eventCreated: Date(timeIntervalSince1970: 1_764_000_000),
            receivedAt: Date(timeIntervalSince1970: 1_764_000_001.234),
            body: Data(#"{"id":"evt_1"}"#.utf8),
            headers: DeliveryHeaders(contentType: "application/json")
        )
        let record = DeliveryRecord(
            id: DeliveryID(42),
            received: received,
            state: .delivering,
            attemptCount: 2,
            nextAttemptAt: nil,
            leaseExpiresAt: nil,
            lastError: nil,
            replayCount: 0,
            updatedAt: Date()
        )
        return DeliveryLease(record: record, token: "t", expiresAt: .distantFuture, messages: messages)
    }

    /// Runs `body` with a client of `upstream`'s socket; shuts the client down and closes the upstream after.
    static func withClient<T>(
        of upstream: ScriptedUpstream,
        maximumInFlight: Int = 4,
        timeout: Duration = .seconds(5),
        signingKeyring: Keyring? = nil,
        _ body: (UpstreamClient) async throws -> T
    ) async throws -> T {
        let client = try UpstreamClient(
            settings: UpstreamSettings(
                socketPath: upstream.socketPath,
                requestPath: "/events",
                maximumInFlight: maximumInFlight,
                timeout: timeout,
                signingKeyring: signingKeyring
            )
        )
        do {
            let result = try await body(client)
            await client.shutdown()
            await upstream.close()
            return result
        } catch {
            await client.shutdown()
            await upstream.close()
            throw error
        }
    }

    /// Each message is POSTed to the request path with every delivery header, the signature headers, `Host`,
    /// `Content-Length` and exactly its body bytes.
    @Test func requestsCarryEveryHeaderAndTheExactBody() async throws {
        let keyring = try Keyring(
            scheme: StandardWebhooksSignatureScheme(),
            secrets: [LabelledSecret(label: "gateway", secret: Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))]
        )
        let first = Data(#"{"type":"payment-succeeded","amount":"10 €"}"#.utf8)
        let second = Data([0x00, 0x0D, 0x0A, 0xFF, 0x7B])
        let upstream = try await ScriptedUpstream()
        let result = try await Self.withClient(of: upstream, signingKeyring: keyring) { client in
            await client.send(
                Self.lease(messages: [
                    OutboundMessage(contentType: "application/cloudevents+json", body: first),
                    OutboundMessage(contentType: "application/octet-stream", body: second),
                ]),
                attempt: 3
            )
        }
        #expect(result == .delivered(status: 200))
        let requests = upstream.counts.requests
        #expect(requests.count == 2)
        for (position, (request, body)) in zip(requests, [first, second]).enumerated() {
            #expect(request.head.method == .POST)
            #expect(request.head.uri == "/events")
            #expect(request.head.version == .http1_1)
            #expect(request.header("Host") == "localhost")
            #expect(request.header("User-Agent") == "hookgate")
            #expect(request.header("Hookgate-Delivery-Id") == "42")
            #expect(request.header("Hookgate-Attempt") == "3")
            #expect(request.header("Hookgate-Endpoint") == "stripe")
            #expect(request.header("Hookgate-Received-At") == "1764000001234")
            #expect(request.header("Content-Length") == String(body.count))
            #expect(request.header("webhook-id") == "hookgate-42-\(position)")
            #expect(request.header("webhook-timestamp") != nil)
            #expect(request.header("webhook-signature")?.hasPrefix("v1,") == true)
            #expect(request.body == [UInt8](body))
        }
        #expect(
            requests.map { $0.header("Content-Type") } == ["application/cloudevents+json", "application/octet-stream"]
        )
        #expect(requests.map(\.head.headers.count) == [11, 11])
    }

    /// A lease without prepared messages sends its stored body with its stored content type, unsigned.
    @Test func aLeaseWithoutMessagesSendsTheStoredBody() async throws {
        let upstream = try await ScriptedUpstream()
        let result = try await Self.withClient(of: upstream) { client in
            await client.send(Self.lease(), attempt: 1)
        }
        #expect(result == .delivered(status: 200))
        let request = try #require(upstream.counts.requests.first)
        #expect(request.body == Array(#"{"id":"evt_1"}"#.utf8))
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("webhook-signature") == nil)
    }

    /// Sequential sends reuse one kept-alive connection.
    @Test func connectionsAreReused() async throws {
        let upstream = try await ScriptedUpstream()
        let results = try await Self.withClient(of: upstream) { client in
            var results: [AttemptResult] = []
            for attempt in 1...5 { results.append(await client.send(Self.lease(), attempt: attempt)) }
            return results
        }
        #expect(results == Array(repeating: .delivered(status: 200), count: 5))
        #expect(upstream.counts.requests.count == 5)
        #expect(upstream.counts.accepted == 1)
    }

    /// With more concurrent sends than `maximumInFlight`, the client opens exactly that many connections (the
    /// upstream answers only once two requests are in flight at once) and every send still gets its answer.
    @Test func concurrentSendsUseAtMostMaximumInFlightConnections() async throws {
        let upstream = try await ScriptedUpstream { _ in .holdUntil(count: 2) }
        let results = try await Self.withClient(of: upstream, maximumInFlight: 2) { client in
            await withTaskGroup(of: AttemptResult.self) { group in
                for attempt in 1...6 { group.addTask { await client.send(Self.lease(), attempt: attempt) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(results == Array(repeating: .delivered(status: 200), count: 6))
        let counts = upstream.counts
        #expect(counts.requests.count == 6)
        #expect(counts.accepted == 2)
        #expect(counts.mostOpen == 2)
    }

    /// A response with `Connection: close` is used, and the next send opens a new connection.
    @Test func connectionCloseIsHonoured() async throws {
        let upstream = try await ScriptedUpstream { _ in .answer(status: 200, headers: [("Connection", "close")]) }
        let results = try await Self.withClient(of: upstream) { client in
            [await client.send(Self.lease(), attempt: 1), await client.send(Self.lease(), attempt: 2)]
        }
        #expect(results == [.delivered(status: 200), .delivered(status: 200)])
        #expect(upstream.counts.accepted == 2)
    }

    /// A 503 with `Retry-After: 120` is throttled until two minutes later.
    @Test func retryAfterIsRead() async throws {
        let upstream = try await ScriptedUpstream { _ in .answer(status: 503, headers: [("Retry-After", "120")]) }
        let before = Date()
        let result = try await Self.withClient(of: upstream) { client in
            await client.send(Self.lease(), attempt: 1)
        }
        guard case .throttled(503, let retryAt?) = result else {
            Issue.record("not throttled with a time: \(result)")
            return
        }
        #expect(retryAt.timeIntervalSince(before) >= 120 && retryAt.timeIntervalSince(before) < 130)
    }

    /// A body of exactly 64 KB is read and dropped; one byte more fails the attempt, and the connection is not
    /// kept.
    @Test func aResponseBodyOverTheLimitFails() async throws {
        let limit = UpstreamClient.maximumResponseBytes
        let upstream = try await ScriptedUpstream { index in .answer(status: 200, bodyBytes: limit + index) }
        let results = try await Self.withClient(of: upstream) { client in
            let results = [await client.send(Self.lease(), attempt: 1), await client.send(Self.lease(), attempt: 2)]
            await upstream.waitUntil { $0.open == 0 }
            return results
        }
        #expect(results == [.delivered(status: 200), .unreachable(reason: "response body longer than 65536 bytes")])
        #expect(upstream.counts.accepted == 1)
    }

    /// No socket file: the attempt fails at once with `socket missing (ENOENT)`, the payment system away.
    @Test func aMissingSocketIsNamed() async throws {
        let client = try UpstreamClient(settings: UpstreamSettings(socketPath: "/tmp/hgu-missing-\(UUID()).sock"))
        let result = await client.send(Self.lease(), attempt: 1)
        await client.shutdown()
        #expect(result == .away(reason: "socket missing (ENOENT)"))
    }

    /// A stale socket file nobody listens on: the attempt fails at once with
    /// `connection refused (ECONNREFUSED)`, the payment system away.
    @Test func aRefusingSocketIsNamed() async throws {
        let path = "/tmp/hgu-\(UUID().uuidString.prefix(8)).sock"
        // Bound, never listened on, closed: what a dead upstream leaves behind.
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = try SocketAddress(unixDomainSocketPath: path).withSockAddr { address, size in
            bind(descriptor, address, socklen_t(size))
        }
        close(descriptor)
        defer { unlink(path) }
        try #require(bound == 0)
        let client = try UpstreamClient(settings: UpstreamSettings(socketPath: path))
        let result = await client.send(Self.lease(), attempt: 1)
        await client.shutdown()
        #expect(result == .away(reason: "connection refused (ECONNREFUSED)"))
    }

    /// An upstream that never answers: the attempt fails with `timeout` at its deadline and the connection is
    /// closed.
    @Test func noAnswerTimesOut() async throws {
        let upstream = try await ScriptedUpstream { _ in .silence }
        let clock = ContinuousClock()
        let began = clock.now
        let result = try await Self.withClient(of: upstream, timeout: .milliseconds(300)) { client in
            let result = await client.send(Self.lease(), attempt: 1)
            await upstream.waitUntil { $0.open == 0 }
            #expect(upstream.counts.open == 0)
            return result
        }
        #expect(result == .unreachable(reason: "timeout"))
        #expect(clock.now - began >= .milliseconds(300))
    }

    /// A send waiting behind the one connection, which never answers, ends with `timeout` too (waiting for the
    /// connection, or on a new one opened when the first is dropped at its own deadline).
    @Test func aSendWaitingForABusyConnectionTimesOut() async throws {
        let upstream = try await ScriptedUpstream { _ in .silence }
        let results = try await Self.withClient(of: upstream, maximumInFlight: 1, timeout: .milliseconds(300)) {
            client in
            async let first = client.send(Self.lease(), attempt: 1)
            async let second = client.send(Self.lease(), attempt: 1)
            return await [first, second]
        }
        #expect(results == Array(repeating: .unreachable(reason: "timeout"), count: 2))
        #expect(upstream.counts.requests.count >= 1)
    }

    /// An upstream that reads the request and closes the connection: `connection closed by the upstream`.
    @Test func aCloseAfterReadingIsNamed() async throws {
        let upstream = try await ScriptedUpstream { _ in .close }
        let result = try await Self.withClient(of: upstream) { client in
            await client.send(Self.lease(), attempt: 1)
        }
        #expect(result == .unreachable(reason: "connection closed by the upstream"))
    }

    /// `shutdown()` closes the kept-alive connections.
    @Test func shutdownClosesTheConnections() async throws {
        let upstream = try await ScriptedUpstream()
        let client = try UpstreamClient(settings: UpstreamSettings(socketPath: upstream.socketPath))
        #expect(await client.send(Self.lease(), attempt: 1) == .delivered(status: 200))
        #expect(upstream.counts.open == 1)
        await client.shutdown()
        #expect(await upstream.waitUntil { $0.open == 0 }.open == 0)
        await upstream.close()
    }
}
