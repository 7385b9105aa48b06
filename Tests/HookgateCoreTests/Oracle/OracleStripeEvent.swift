import HookgateCore

/// The parts of a stored Stripe event that normalization reads, and the CloudEvent envelope built from them.
struct OracleStripeEvent {
    /// `id`.
    let id: String
    /// `type`, e.g. `payment_intent.succeeded`.
    let type: String
    /// `created`, Unix seconds.
    let created: Int64
    /// `livemode` (of the event, else of its object).
    let livemode: Bool
    /// `account`: the connected account for Connect events; `nil` for the platform's own.
    let account: String?
    /// `api_version`; `null` in events from before 2014-10-31.
    let apiVersion: String?
    /// `data.object`.
    let object: OracleObjectReader

    /// The `created` values an RFC 3339 `time` can express: 1970-01-01 to 9999-12-31.
    static let representableTimes: ClosedRange<Int64> = 0...253_402_300_799

    /// Reads the event fields of `document`.
    init(_ document: JSONValue) throws(NormalizationError) {
        let root = try OracleObjectReader(document, at: .root)
        self.id = try root.string("id")
        self.type = try root.string("type")
        if case .string(let text)? = document["created"] {
            guard let seconds = UnixTime.parseRFC3339(text) else {
                throw NormalizationError(
                    code: .invalidField,
                    reason: "not an RFC 3339 time",
                    path: JSONPath.root.appending("created")
                )
            }
            self.created = seconds
        } else {
            self.created = try root.integer("created")
        }
        guard Self.representableTimes.contains(self.created) else {
            throw NormalizationError(
                code: .invalidField,
                reason: "not a time from 1970 to 9999",
                path: JSONPath.root.appending("created")
            )
        }
        self.account = try root.optionalString("account")
        self.apiVersion = try root.optionalString("api_version")
        self.object = try root.object("data").object("object")
        var livemode = try root.optionalBool("livemode")
        if livemode == nil { livemode = try self.object.optionalBool("livemode") }
        guard let livemode else {
            throw NormalizationError(
                code: .missingField,
                reason: "required field is missing or null (and data.object has none either)",
                path: JSONPath.root.appending("livemode")
            )
        }
        self.livemode = livemode
    }

    /// The CloudEvents `source`: `stripe/<account or "platform">/<live|test>`.
    var source: String {
        "stripe/\(self.account ?? "platform")/\(self.livemode ? "live" : "test")"
    }

    /// Whether the event comes from an API version whose refunds had no `status` yet (before 2014-06-17,
    /// when a charge still listed its refunds as an array): a refund existed only once it was done.
    var predatesRefundStatus: Bool {
        guard let apiVersion = self.apiVersion else { return true }
        return apiVersion < "2014-06-17"
    }

    /// The structured-mode CloudEvent (compact JSON): the required attributes, `subject`, `time`,
    /// `datacontenttype`, `dataschema` when given, the extensions `stripetype` and `stripeapiversion` (when the
    /// event has one), then `data`.
    func cloudEvent(id: String, type: String, subject: String?, dataschema: String?, data: JSONValue) -> [UInt8] {
        var members: [JSONValue.Member] = []
        func add(_ key: String, _ value: String?) {
            if let value { members.append(JSONValue.Member(key: key, value: .string(value))) }
        }
        add("specversion", "1.0")
        add("id", id)
        add("source", self.source)
        add("type", type)
        add("subject", subject)
        add("time", UnixTime.rfc3339(self.created))
        add("datacontenttype", "application/json")
        add("dataschema", dataschema)
        add("stripetype", self.type)
        add("stripeapiversion", self.apiVersion)
        members.append(JSONValue.Member(key: "data", value: data))
        return Array(JSONValue.object(members).oracleSerialized().utf8)
    }
}
