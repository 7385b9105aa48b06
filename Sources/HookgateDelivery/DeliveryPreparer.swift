import Foundation
import HookgateCore
import HookgateStore

/// Decides what the worker forwards for a stored delivery: its endpoint's forwarding applied to its body.
struct DeliveryPreparer: Sendable {
    /// The content type of one structured CloudEvent.
    static let cloudEventContentType = "application/cloudevents+json"

    /// Forwarding by endpoint name.
    var endpoints: [String: EndpointForwarding]

    /// The preparation of `record`, normalizing `snapshot` instead of its body when given (the snapshot event
    /// built for a thin event from its fetched object; the stored body stays the thin event's).
    func prepare(_ record: DeliveryRecord, snapshot: [UInt8]? = nil) -> DeliveryPreparation {
        let endpoint = record.received.endpoint
        guard let forwarding = endpoints[endpoint] else {
            return .skip(reason: "endpoint_removed: the endpoint \(endpoint) is no longer configured")
        }
        guard case .normalized(let options) = forwarding else { return .forward(.raw) }
        let outcome: NormalizationOutcome
        do {
            outcome = try StripeEventNormalizer.normalize(
                body: snapshot ?? [UInt8](record.received.body),
                options: options
            )
        } catch {
            return .reject(error: "\(error.code): \(error.description)")
        }
        switch outcome {
        case .skip(let reason):
            return .skip(reason: reason.description)
        case .forwardOriginal(let orderingKey):
            return .forward(OutboundPlan(messages: [], orderingKey: orderingKey))
        case .forward(let events):
            let messages = events.map { event in
                OutboundMessage(
                    contentType: Self.cloudEventContentType,
                    body: Data(event.body),
                    factKey: event.factKey,
                    supersededBy: event.supersededByFactKey
                )
            }
            let first = events.first
            return .forward(
                OutboundPlan(
                    messages: messages,
                    orderingKey: first?.orderingKey,
                    catalogType: first?.type,
                    subject: events.count == 1 ? first?.subject : nil
                )
            )
        }
    }
}
