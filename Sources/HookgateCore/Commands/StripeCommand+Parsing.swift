extension StripeCommand {
    /// The largest command body accepted: 64 KiB.
    public static let maximumBodyBytes = 64 << 10

    /// The parser's bounds for a command body.
    public static let parserLimits = JSONValueParser.Limits(maximumDepth: 32, maximumBytes: Self.maximumBodyBytes)

    /// Reads a CloudEvent in structured JSON mode, checks it by its command's schema
    /// (`Config/schemas/<type>.schema.json`), and builds its request to Stripe's API.
    ///
    /// Unknown CloudEvent extension attributes are allowed; unknown members of `data` are refused, so a
    /// misspelt field is never dropped silently. A `subject`, when present, must equal `data.orderId`.
    /// - Throws: ``CommandRefusal`` naming the first member at fault and the rule it breaks.
    public static func parse(_ body: [UInt8]) throws(CommandRefusal) -> StripeCommand {
        let event: JSONValue
        do {
            event = try JSONValueParser.parse(body, limits: Self.parserLimits)
        } catch {
            throw .malformed(error)
        }
        guard case .object = event else { throw .invalid("$", "a JSON object (one CloudEvent, structured mode)") }
        let reader = CommandMemberReader(object: event, prefix: "")
        _ = try reader.requiredString("specversion", "\"1.0\"") { $0 == "1.0" }
        let kinds = CommandKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        let type = try reader.requiredString("type", "one of \(kinds)") { CommandKind(rawValue: $0) != nil }
        let kind = CommandKind(rawValue: type)!
        let idRule = "a string of 1 to 255 printable ASCII characters without spaces"
        let id = try reader.requiredString("id", idRule, where: Self.isValidID)
        let source = try reader.requiredString("source", "a non-empty string") { !$0.isEmpty }
        let subject = try reader.string("subject", "a non-empty string (the order id)") { !$0.isEmpty }
        _ = try reader.string("time", "an RFC 3339 date-time") { UnixTime.parseRFC3339($0) != nil }
        _ = try reader.string("datacontenttype", "\"application/json\"") { $0 == "application/json" }
        _ = try reader.string("dataschema", "\"\(kind.schemaID)\"") { $0 == kind.schemaID }
        guard case .object? = event["data"] else { throw .invalid("data", "required, an object") }
        let data = CommandMemberReader(object: event["data"]!, prefix: "data.")
        let parameters: [(name: String, value: String)]
        let orderID: String
        switch kind {
        case .paymentRequested: (orderID, parameters) = try Self.paymentParameters(data)
        case .refundRequested: (orderID, parameters) = try Self.refundParameters(data)
        }
        if let subject, subject != orderID {
            throw .invalid("subject", "must equal data.orderId when present")
        }
        let metadata = [
            (name: "metadata[order_id]", value: orderID), (name: "metadata[hookgate_command_id]", value: id),
        ]
        return StripeCommand(
            id: id,
            kind: kind,
            source: source,
            subject: orderID,
            form: Array(FormEncoding.encoded(parameters + metadata).utf8)
        )
    }

    /// 1 to 255 bytes from `!` to `~`: what an `Idempotency-Key` header carries as it is. No command has an id
    /// that fails this rule.
    public static func isValidID(_ id: String) -> Bool {
        (1...255).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
