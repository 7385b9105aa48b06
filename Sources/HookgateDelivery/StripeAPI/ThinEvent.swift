import HookgateCore

/// The members of a stored thin event (`"object": "v2.core.event"`) that fetching its object needs.
struct ThinEvent: Sendable, Hashable {
    /// `id`: stays the delivery's dedup key and the normalized events' id.
    let id: String
    /// The snapshot event type it stands for: `type` without its `v1.` prefix (`payment_intent.succeeded`).
    let snapshotType: String
    /// `created`, Unix seconds (an RFC 3339 string or an integer).
    let created: Int64
    /// `livemode`.
    let livemode: Bool
    /// `context`: the connected account the event is about, if any.
    let account: String?
    /// `related_object.url`: the path of the object, e.g. `/v1/payment_intents/pi_1`.
    let relatedObjectPath: String

    /// The query of the related object's fetch: a charge's refunds, which the pinned API version no longer
    /// includes unless expanded (the normalizer reads them for `charge.refunded`).
    var relatedObjectQuery: [(name: String, value: String)] {
        self.relatedObjectPath.hasPrefix("/v1/charges/") ? [("expand[]", "refunds")] : []
    }

    /// A thin event's `object`, as bytes.
    private static let objectBytes = Array("v2.core.event".utf8)

    /// The thin event in `body`; `nil` when it is not one, or lacks what fetching its object needs. A body
    /// without the bytes `v2.core.event` (every snapshot event) is refused without being parsed: the worker asks
    /// this of each delivery before normalizing it.
    init?(_ body: [UInt8]) {
        guard body.firstRange(of: Self.objectBytes) != nil,
            let document = try? JSONValueParser.parse(body, limits: StripeEventNormalizer.documentLimits),
            document["object"] == .string("v2.core.event"),
            case .string(let id)? = document["id"], case .string(let type)? = document["type"],
            case .bool(let livemode)? = document["livemode"],
            case .string(let path)? = document["related_object"]?["url"], Self.isObjectPath(path)
        else { return nil }
        switch document["created"] {
        case .string(let text)?:
            guard let created = UnixTime.parseRFC3339(text) else { return nil }
            self.created = created
        case .integer(let created)?:
            self.created = created
        default:
            return nil
        }
        self.id = id
        self.snapshotType = type.hasPrefix("v1.") ? String(type.dropFirst(3)) : type
        self.livemode = livemode
        if case .string(let account)? = document["context"] { self.account = account } else { self.account = nil }
        self.relatedObjectPath = path
    }

    /// A path of Stripe's API: `/v1/` or `/v2/`, printable ASCII, no query, fragment or `..`, at most 1 KiB.
    static func isObjectPath(_ path: String) -> Bool {
        (path.hasPrefix("/v1/") || path.hasPrefix("/v2/")) && path.utf8.count <= 1_024 && !path.contains("..")
            && StripeAPIClient.isAPIPath(path)
    }

    /// The snapshot event (`"object": "event"`) a webhook endpoint would have sent, with `object` (the related
    /// object as the API answers it now) as `data.object`, and `api_version` the client's pinned version.
    func snapshot(of object: JSONValue) -> [UInt8] {
        var members: [JSONValue.Member] = [
            JSONValue.Member(key: "id", value: .string(self.id)),
            JSONValue.Member(key: "object", value: .string("event")),
            JSONValue.Member(key: "api_version", value: .string(StripeAPIClient.stripeVersion)),
            JSONValue.Member(key: "created", value: .integer(self.created)),
            JSONValue.Member(key: "livemode", value: .bool(self.livemode)),
            JSONValue.Member(key: "type", value: .string(self.snapshotType)),
        ]
        if let account { members.append(JSONValue.Member(key: "account", value: .string(account))) }
        members.append(JSONValue.Member(key: "data", value: .object([JSONValue.Member(key: "object", value: object)])))
        return Array(JSONValue.object(members).serialized().utf8)
    }
}
