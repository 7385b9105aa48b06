import AsyncHTTPClient
import HookgateCore
import HookgateStore
import NIOCore

/// `--to-url`: posts each delivery's stored raw body to another gateway, re-signed with the given Stripe keys
/// and a fresh timestamp, through ``WebhookSender``.
struct ReplayHTTPSSender {
    let url: String
    let keys: [HMACKey]
    let client: HTTPClient

    /// Posts `record`'s body; returns nil when answered 2xx, else why not.
    func send(_ record: DeliveryRecord) async -> String? {
        let sender = WebhookSender(
            url: self.url,
            source: .fixed(TestEventFactory.Event(id: record.received.eventID, body: Array(record.received.body))),
            keys: self.keys,
            headers: [],
            count: 1,
            concurrency: 1,
            rate: nil,
            timeout: .seconds(30)
        )
        guard let result = await sender.run(client: self.client).first else { return "not sent" }
        if result.succeeded { return nil }
        return result.status.map { "status \($0): \(result.message)" } ?? result.message
    }
}
