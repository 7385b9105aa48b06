import HookgateCore

extension EventRecord {
    /// The API version events are rendered with (the one `hookgate send` uses).
    static let apiVersion = "2026-07-29.dahlia"

    /// The snapshot event (`"object": "event"`), with the members of Stripe's
    /// (`Tests/Fixtures/stripe-api/event.json`).
    var json: JSONValue {
        .members([
            "id": .string(self.id),
            "object": .string("event"),
            "api_version": .string(Self.apiVersion),
            "created": .integer(self.created),
            "data": .members(["object": self.object.value]),
            "livemode": .bool(false),
            "pending_webhooks": .integer(self.delivery == .pending || self.delivery == .failed ? 1 : 0),
            "request": .members(["id": .string(self.requestID), "idempotency_key": .optional(self.idempotencyKey)]),
            "type": .string(self.type),
        ])
    }

    /// The thin event (`"object": "v2.core.event"`, type `v1.<type>`) an event destination sends and
    /// `GET /v2/core/events/{id}` answers, shaped like `Tests/Fixtures/thin-events/`.
    var thinJSON: JSONValue {
        .members([
            "id": .string(self.thinID),
            "object": .string("v2.core.event"),
            "type": .string("v1." + self.type),
            "livemode": .bool(false),
            "created": .string(UnixTime.rfc3339(milliseconds: self.createdMilliseconds)),
            "reason": .members([
                "type": .string("request"),
                "request": .members([
                    "id": .string(self.requestID), "idempotency_key": .optional(self.idempotencyKey),
                ]),
            ]),
            "related_object": .members([
                "id": .string(self.relatedObject.id),
                "type": .string(self.relatedObject.type),
                "url": .string(self.relatedObject.url),
            ]),
        ])
    }
}
