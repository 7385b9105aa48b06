/// The event types `hookgate send` can make, embedded in the binary.
enum EventTemplates {
    /// The Stripe API version the templates are written in.
    static let apiVersion = "2026-07-29.dahlia"

    /// Every template, in the order `--list` prints them.
    static let all: [EventTemplate] = [
        paymentIntentSucceeded, paymentIntentPaymentFailed, chargeSucceeded, chargeFailed, chargeRefunded,
        refundCreated, refundUpdated, chargeRefundUpdated, customerCreated, invoicePaid,
    ]

    /// The template of `type`, if there is one.
    static func named(_ type: String) -> EventTemplate? {
        all.first { $0.type == type }
    }

    /// The envelope Stripe wraps around every event's object.
    static func envelope(type: String, object: String) -> String {
        """
        {
          "id": "{{evt}}",
          "object": "event",
          "api_version": "\(apiVersion)",
          "created": {{created}},
          "data": {
            "object": \(object)
          },
          "livemode": {{livemode}},
          "pending_webhooks": 1,
          "request": {
            "id": "{{req}}",
            "idempotency_key": "{{idem}}"
          },
          "type": "\(type)"
        }
        """
    }
}
