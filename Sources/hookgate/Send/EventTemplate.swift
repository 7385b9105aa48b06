/// A realistic Stripe event body with placeholders, filled in afresh for every event sent.
///
/// Placeholders are `{{name}}`: `{{created}}` (Unix time), `{{livemode}}` (`true`/`false`), and any other
/// name is an object id with that prefix (`{{evt}}`, `{{pi}}`, `{{ch}}`, ...) — the same within one event,
/// so related objects point at each other.
struct EventTemplate: Sendable {
    /// The Stripe event type, e.g. `payment_intent.succeeded`.
    let type: String
    /// What the event says, for `--list`; it names the catalog event, `(catalog: refund-processed)`, exactly
    /// when the gateway's default mapping forwards the event as that one.
    let summary: String
    /// The event body with placeholders.
    let text: String

    /// The template filled in: `ids` gives ids already chosen (e.g. `--payment-id`), missing ones are made.
    func render(created: Int64, livemode: Bool, ids: [String: String]) -> String {
        var ids = ids
        var output = ""
        var rest = Substring(self.text)
        while let open = rest.firstRange(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else { break }
            let name = String(rest[open.upperBound..<close.lowerBound])
            switch name {
            case "created": output += String(created)
            case "livemode": output += livemode ? "true" : "false"
            default:
                let id = ids[name] ?? StripeObjectID.make(name)
                ids[name] = id
                output += id
            }
            rest = rest[close.upperBound...]
        }
        return output + rest
    }
}
