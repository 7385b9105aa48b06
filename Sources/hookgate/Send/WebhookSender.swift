import AsyncHTTPClient
import Glibc
import HookgateCore
import NIOCore
import NIOHTTP1
import Synchronization

/// Posts signed test events: `count` of them over `concurrency` keep-alive connections, optionally paced
/// at `rate` per second.
struct WebhookSender: Sendable {
    /// The longest response body kept for printing.
    static let maximumResponseBytes = 64 * 1024

    let url: String
    /// Where each event's body comes from.
    let source: EventSource
    /// The Stripe keys every event is signed with (one `v1` each).
    let keys: [HMACKey]
    /// Extra request headers (`--header`).
    let headers: [(name: String, value: String)]
    let count: Int
    let concurrency: Int
    /// Events per second, or `nil` for as fast as the connections go.
    let rate: Double?
    let timeout: TimeAmount

    /// Sends every event through `client` and returns the results in sending order.
    func run(client: HTTPClient) async -> [SendResult] {
        let next = NextIndex()
        let start = ContinuousClock.now
        let batches = await withTaskGroup(of: [(Int, SendResult)].self) { group in
            for _ in 0..<min(self.concurrency, self.count) {
                group.addTask {
                    var results: [(Int, SendResult)] = []
                    while true {
                        let index = next.take()
                        guard index < self.count else { break }
                        if let rate = self.rate {
                            try? await Task.sleep(until: start + .seconds(Double(index) / rate), clock: .continuous)
                        }
                        results.append((index, await self.send(client: client)))
                    }
                    return results
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        return batches.sorted { $0.0 < $1.0 }.map(\.1)
    }

    private func send(client: HTTPClient) async -> SendResult {
        let now = Int64(time(nil))
        let event: TestEventFactory.Event
        do {
            event = try self.source.make(created: now)
        } catch {
            return SendResult(eventID: "", status: nil, message: "\(error)", latency: .zero)
        }
        var request = HTTPClientRequest(url: self.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json; charset=utf-8")
        request.headers.add(name: "user-agent", value: "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
        let signature = StripeSignatureScheme().sign(body: event.body, keys: self.keys, timestamp: now, messageID: nil)
        for field in signature.fields { request.headers.add(name: field.name, value: field.value) }
        for header in self.headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        request.body = .bytes(event.body)
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request, timeout: self.timeout)
            let body = try await response.body.collect(upTo: Self.maximumResponseBytes)
            return SendResult(
                eventID: event.id,
                status: Int(response.status.code),
                message: String(buffer: body),
                latency: ContinuousClock.now - started
            )
        } catch {
            return SendResult(
                eventID: event.id,
                status: nil,
                message: SendFailure.describe(error, url: self.url),
                latency: ContinuousClock.now - started
            )
        }
    }
}

/// Hands out the events' indexes, 0, 1, 2, ..., to the sending tasks.
private final class NextIndex: Sendable {
    private let next = Atomic(0)

    func take() -> Int {
        self.next.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}
