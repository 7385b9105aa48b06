import HookgateCore

/// Reading Stripe's parameters with Stripe's validation errors.
extension FormParameters {
    /// Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500.
    static let metadataLimits = (keys: 50, keyLength: 40, valueLength: 500)

    /// 400 `parameter_unknown` for the first parameter not in `allowed`.
    func requireOnly(_ allowed: Set<String>) throws(StripeAPIError) {
        for name in self.topLevelNames where !allowed.contains(name) {
            throw .invalid(
                "parameter_unknown",
                "Received unknown parameter: \(StripeAPIError.bounded(name))",
                param: StripeAPIError.bounded(name)
            )
        }
    }

    /// A required parameter.
    func required(_ name: String) throws(StripeAPIError) -> String {
        guard let value = self.value(name), !value.isEmpty else {
            throw .invalid("parameter_missing", "Missing required param: \(name).", param: name)
        }
        return value
    }

    /// An integer parameter within `range`, `nil` when absent.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws(StripeAPIError) -> Int64? {
        guard let text = self.value(name) else { return nil }
        guard let value = Int64(text) else {
            throw .invalid(
                "parameter_invalid_integer",
                "Invalid integer: \(StripeAPIError.bounded(text))",
                param: name
            )
        }
        guard range.contains(value) else {
            throw .invalid(
                "parameter_invalid_integer",
                "This value must be between \(range.lowerBound) and \(range.upperBound).",
                param: name
            )
        }
        return value
    }

    /// A boolean parameter (`true` / `false`), `nil` when absent.
    func boolean(_ name: String) throws(StripeAPIError) -> Bool? {
        switch self.value(name) {
        case nil: return nil
        case "true": return true
        case "false": return false
        case let text?:
            throw .invalid(
                "parameter_invalid_boolean",
                "Invalid boolean: \(StripeAPIError.bounded(text))",
                param: name
            )
        }
    }

    /// A three-letter currency code, lowercased.
    func currency(_ name: String) throws(StripeAPIError) -> String {
        let text = try self.required(name).lowercased()
        guard text.count == 3, text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw .invalid(
                "parameter_invalid_string",
                "Invalid currency: \(StripeAPIError.bounded(text)). Stripe currencies are three-letter ISO codes.",
                param: name
            )
        }
        return text
    }

    /// `metadata[key]=value` within Stripe's limits.
    func metadata() throws(StripeAPIError) -> [MetadataEntry] {
        let members = self.hash("metadata")
        let limits = Self.metadataLimits
        guard members.count <= limits.keys else {
            throw .invalid(
                "parameter_invalid_string",
                "Metadata can have up to \(limits.keys) keys.",
                param: "metadata"
            )
        }
        for member in members where member.key.count > limits.keyLength || member.value.count > limits.valueLength {
            throw .invalid(
                "parameter_invalid_string",
                "Metadata keys can be up to \(limits.keyLength) characters long and values up to "
                    + "\(limits.valueLength) characters long.",
                param: "metadata[\(StripeAPIError.bounded(member.key))]"
            )
        }
        return members.map { MetadataEntry(key: $0.key, value: $0.value) }
    }
}
