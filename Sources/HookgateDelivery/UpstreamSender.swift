import Foundation
public import HookgateCore
public import HookgateStore

/// Sends stored deliveries to an upstream socket now, outside the worker and the store (for
/// `hookgate replay --to-socket`): the worker's requests, with its headers and one deadline per delivery.
public final class UpstreamSender: Sendable {
    /// How one delivery's send ended.
    public struct Result: Sendable, Equatable {
        /// The last status answered, or nil when no answer came.
        public var status: Int?
        /// Why it was not delivered (a status or a transport failure), or nil when every message got a 2xx.
        public var error: String?
        /// Whether every message was answered 2xx.
        public var delivered: Bool { self.error == nil }
    }

    private let client: UpstreamClient

    /// A sender to the settings' socket and request path.
    /// - Throws: when the socket path cannot be a Unix socket address (longer than 107 bytes).
    public init(settings: UpstreamSettings) throws {
        self.client = try UpstreamClient(settings: settings)
    }

    /// Sends `messages` in order (the stored body with its content type when empty) as attempt `attempt` of
    /// `record`; stops at the first that is not acknowledged.
    public func send(_ record: DeliveryRecord, messages: [OutboundMessage], attempt: Int) async -> Result {
        let lease = DeliveryLease(record: record, token: "", expiresAt: .distantFuture, messages: messages)
        let result = await self.client.send(lease, attempt: attempt)
        return Result(status: result.upstreamStatus, error: result.error)
    }

    /// Closes the connections.
    public func shutdown() async {
        await self.client.shutdown()
    }
}
